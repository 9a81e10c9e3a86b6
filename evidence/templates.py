"""Empty evidence templates with the canonical headers, for plants to fill in.

    template_csv(dataset) -> bytes      # UTF-8 with BOM (Excel opens it with the right encoding)
    template_xlsx(dataset) -> bytes     # header row, drop-downs for enumerations and yes/no
                                        # fields, date formats, and a "Fields" sheet explaining each

Both read back through `read_dataset` without a mapping file.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from evidence.schemas import DatasetSchema, FieldSpec, get_schema

TEMPLATE_ROWS = 5000
KIND_LABELS = {"text": "text", "enum": "one of a list", "bool": "yes / no (blank = no)",
               "date": "date (YYYY-MM-DD)", "number": "number of minutes"}


if TYPE_CHECKING:
    from openpyxl import Workbook


def template_csv(dataset: str) -> bytes:
    schema = get_schema(dataset)
    return ("\ufeff" + ",".join(schema.field_names) + "\r\n").encode("utf-8")


def template_xlsx(dataset: str) -> bytes:
    # openpyxl (~0.1 s to import) only when a template is asked for: every command and the app
    # import this module through the evidence services.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    schema = get_schema(dataset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = schema.name[:31]
    sheet.append(list(schema.field_names))
    sheet.freeze_panes = "A2"
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for index, spec in enumerate(schema.fields, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if spec.required:
            cell.fill = required_fill
        sheet.column_dimensions[letter].width = max(12, len(spec.name) + 4)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        _add_validation(sheet, spec, cells)
        if spec.kind == "date":
            for row in sheet.iter_rows(min_row=2, max_row=201, min_col=index, max_col=index):
                row[0].number_format = "yyyy-mm-dd"
    _fields_sheet(workbook, schema)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_validation(sheet, spec: FieldSpec, cells: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if spec.kind == "enum":
        choices = spec.allowed
    elif spec.kind == "bool":
        choices = ("yes", "no")
    else:
        return
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    validation.error = f"{spec.name} must be one of: {', '.join(choices)}"
    validation.errorTitle = "Not an allowed value"
    validation.prompt = ", ".join(choices)
    sheet.add_data_validation(validation)
    validation.add(cells)


def _fields_sheet(workbook: Workbook, schema: DatasetSchema) -> None:
    """A second sheet documenting every field (the data sheet stays first, where readers look)."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet("Fields")
    sheet.append(["field", "type", "required", "allowed values", "description"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for spec in schema.fields:
        required = "required, unique" if spec.unique else "required" if spec.required else ""
        allowed = ", ".join(spec.allowed) if spec.kind == "enum" else "yes, no" if spec.kind == "bool" else ""
        sheet.append([spec.name, KIND_LABELS[spec.kind], required, allowed, spec.description])
    for letter, width in zip("ABCDE", (26, 22, 16, 60, 80), strict=True):
        sheet.column_dimensions[letter].width = width
