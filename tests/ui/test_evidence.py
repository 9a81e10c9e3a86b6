"""Journey 2 in AppTest: template, upload with problems by row and column, in-page mapping of
columns and values, keep-valid-rows, import, metrics with status, mapping carried forward."""

from __future__ import annotations

from services.assessments import copy_assessment, load_assessment
from tests.ui.conftest import ADMIN, AS_OF, VIEWER, raw_texts, texts

BAD = (b"Asset ID,Name,Environment,Criticality,Asset Owner,Device Class\n"
       b"A1,PLC 1,OT,critical,Ana,plc\n"
       b"A2,HMI 2,OT,Hgh,Raj,hmi\n"
       b"A3,Server,IT,2,Lee,server\n"
       b"A3,Dup,IT,low,Lee,server\n")
NO_KEY = b"Device Ref,Criticality\nT1,critical\nT2,low\n"


def _upload(at, name: str, data: bytes):
    at.file_uploader[0].set_value([(name, data, "text/csv")])
    return at.run()


def _selectbox(at, label):
    return next(w for w in at.main.selectbox if w.label == label)


def test_templates_are_offered_as_csv_and_xlsx(draft, open_page) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    labels = [b.label for b in at.main.get("download_button")]
    assert labels[:2] == ["CSV template", "XLSX template"]


def test_problems_by_row_and_column_then_mapping_then_keep_valid_rows(draft, open_page, ctx) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _upload(at, "inventory.csv", BAD)
    assert texts(at.main.error) == ["4 problem(s) in 3 of 4 rows; 1 row is valid."]
    problems = at.main.dataframe[1].value
    assert list(problems.columns[:4]) == ["Row", "Column", "Problem", "What is allowed"]
    assert problems[["Row", "Column"]].values.tolist() == [[3, "Criticality"], [4, "Asset ID"], [4, "Criticality"], [5, "Asset ID"]]
    assert "'Hgh' is not one of critical, high, medium, low" in problems["Problem"].tolist()
    # map the unknown codes and the unknown column in the page
    _selectbox(at, "'Hgh' (1 row)").set_value("high").run()
    _selectbox(at, "'2' (1 row)").set_value("high").run()
    _selectbox(at, "'Device Class'").set_value("asset_type").run()
    assert texts(at.main.error) == ["2 problem(s) in 2 of 4 rows; 2 rows are valid."]
    import_button = next(b for b in at.main.button if b.label == "Import")
    assert import_button.disabled
    at.main.checkbox[0].check().run()
    next(b for b in at.main.button if b.label == "Import").click().run()
    assert not at.exception
    assert any("Imported 2 rows" in t and "mapping saved" in t for t in texts(at.main.success))
    (stored,) = load_assessment(ctx, ADMIN, draft.id).evidence
    assert stored.row_count == 2 and "Hgh" in stored.mapping["text"] and "Device Class" in stored.mapping["text"]
    metrics = at.main.dataframe[-2].value  # metrics table of the dataset (the questions table is last)
    owner = metrics[metrics["Metric"] == "Critical assets with an owner"].iloc[0]
    assert owner["Value"] == "100.0 %" and owner["Status"] == "Green"
    assert "AST-06" in at.main.dataframe[-1].value["Question"].tolist()


def test_the_mapping_is_offered_again_next_quarter(draft, open_page, ctx) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _upload(at, "inventory.csv", BAD)
    _selectbox(at, "'Hgh' (1 row)").set_value("high").run()
    at.main.checkbox[0].check().run()
    next(b for b in at.main.button if b.label == "Import").click().run()
    later = copy_assessment(ctx, ADMIN, draft.id, as_of=AS_OF.replace(year=AS_OF.year + 1))
    at = open_page("evidence", assessment_id=later.id)
    assert any(f"mapping saved with the import of {AS_OF.isoformat()}" in t for t in texts(at.main.caption))
    _upload(at, "inventory.csv", BAD)
    assert not any("'Hgh'" in w.label for w in at.main.selectbox)  # already mapped


def test_a_file_without_its_key_column_can_be_mapped_in_the_page(draft, open_page) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _upload(at, "tags.csv", NO_KEY)
    assert any("no header row found" in t for t in texts(at.main.error))  # one known name could be a value
    assert not at.exception
    _selectbox(at, "'Device Ref'").set_value("asset_id").run()
    assert texts(at.main.success) == ["2 rows, all valid."]


def test_a_viewer_cannot_upload(draft, open_page) -> None:
    at = open_page("evidence", actor=VIEWER, assessment_id=draft.id)
    assert not at.file_uploader
    assert at.main.dataframe  # metrics are still shown


def _png() -> bytes:
    """A real (1×1) PNG image, as a user would rename one to .csv by mistake."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def test_an_image_renamed_csv_is_refused_without_a_mapping_of_its_bytes(draft, open_page) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _upload(at, "inventory.csv", _png())
    assert not at.exception
    assert texts(at.main.error) == ["inventory.csv is not a CSV file"]  # the refusal, once, and nothing read from it
    assert not any("Columns not recognised" in t for t in texts(at.main.markdown))
    assert not [w for w in at.main.selectbox if w.label.startswith("'")]  # no column of garbage to map


def test_a_loose_header_match_is_shown_and_one_click_undoes_it(draft, open_page, ctx) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _upload(at, "inventory.csv", b"Asset ID,Name,Type,Criticality\nA1,PLC 1,PLC,critical\nA2,HMI,HMI,high\n")
    assert any("Assumed" in t for t in texts(at.main.markdown))
    assert any("Column 'Type' is read as" in t for t in texts(at.main.markdown))
    next(b for b in at.main.button if b.label == "Not this field").click().run()
    assert not any("Assumed" in t for t in texts(at.main.markdown))
    assert _selectbox(at, "'Type'").value == "— not used —"  # now offered for another field
    next(b for b in at.main.button if b.label == "Import").click().run()
    (stored,) = load_assessment(ctx, ADMIN, draft.id).evidence
    assert "Type: null" in stored.mapping["text"]


def test_a_preset_reads_a_tool_export(draft, open_page, ctx) -> None:
    at = open_page("evidence", assessment_id=draft.id)
    _selectbox(at, "Preset (the export of a tool)").set_value("snipe-it-assets").run()
    assert any("Criticality" in t or "criticality" in t for t in texts(at.main.caption))  # what the tool cannot supply
    data = (b"Company,Asset Name,Asset Tag,Model,Model No.,Category,Manufacturer,Serial,Location,Checked Out,Status,Last Audit\n"
            b"Werk Nord,ENG-WS-01,0001,OptiPlex 7090,7090,Desktop,Dell,ABC123,Werk Nord Halle 2,Ana Ruiz,Ready to Deploy (deployable),2026-03-02 09:14:00\n")
    _upload(at, "assets.csv", data)
    assert texts(at.main.success) == ["1 rows, all valid."]
    next(b for b in at.main.button if b.label == "Import").click().run()
    (stored,) = load_assessment(ctx, ADMIN, draft.id).evidence
    assert stored.mapping["preset"] == "snipe-it-assets"


def test_a_missing_metric_says_why_on_the_dashboard_and_the_evidence_page(draft, open_page, ctx) -> None:
    from services.evidence_imports import import_evidence

    import_evidence(ctx, ADMIN, draft.id, "asset_inventory", b"Asset ID,Name,Owner\nA1,PLC_1,Ana\n", name="inv.csv")
    at = open_page("evidence", assessment_id=draft.id)
    metrics = at.main.dataframe[-2].value
    owner = metrics[metrics["Metric"] == "Critical assets with an owner"].iloc[0]
    assert owner["Status"] == "Missing" and owner["Why missing"].startswith("no asset rated critical: criticality is blank")
    dash = open_page("dashboard", assessment_id=draft.id)
    captions = texts(dash.main.caption)
    assert any(c.startswith("Why") and "no asset rated critical" in c and "asset_inventory" in c for c in captions)
    assert any("asset\\_inventory" in c for c in raw_texts(dash.main.caption))  # escaped: shown as written
