"""Mapping files: applied to headers and values, and validated with precise locations."""

from __future__ import annotations

import pytest

from errors import EvidenceError
from evidence.dataset import load_mapping, read_dataset
from evidence.mapping import parse_mapping
from evidence.schemas import ACCESS_PATHS, ASSET_INVENTORY


def test_mapping_fixture_maps_headers_and_codes(evidence_data) -> None:
    result = read_dataset(evidence_data / "inventory_codes.csv", "asset_inventory", mapping=evidence_data / "inventory_codes.map.yaml")
    assert result.ok
    assert result.columns["name"] == "Device Name" and result.columns["criticality"] == "Crit"
    assert result.ignored_columns == ()  # "Monitored by OT SOC" is mapped to ~ (ignored on purpose)
    frame = result.frame
    assert list(frame["criticality"]) == ["critical", "high", "critical"]
    assert list(frame["support_status"]) == ["unsupported", "supported", "supported"]  # EOL, in support
    assert list(frame["owner"].fillna("")) == ["A. Smith", "", "B. Jones"]


def test_without_the_mapping_the_codes_are_errors(evidence_data) -> None:
    result = read_dataset(evidence_data / "inventory_codes.csv", "asset_inventory")
    assert result.problem_count == 3
    assert result.problems[0].message == "'1' is not one of critical, high, medium, low"


def test_broken_mapping_fixture_reports_every_problem_with_its_line(evidence_data) -> None:
    with pytest.raises(EvidenceError) as err:
        load_mapping(evidence_data / "mapping_broken.yaml", "asset_inventory")
    assert [str(p) for p in err.value.problems] == [
        "mapping_broken.yaml line 12: colour: unknown key (allowed keys: columns, values, header_row, date_order, date_format, encoding, repeated_ids, fields, where, timeline)",
        "mapping_broken.yaml line 2: columns.Crit: 'critcality' is not a field of asset_inventory (did you mean 'criticality'?)",
        "mapping_broken.yaml line 4: columns.'Asset Owner': 'owner' is already mapped from 'Owner' (map each field from one column)",
        "mapping_broken.yaml line 6: values.criticality.'2': 'hi' is not one of critical, high, medium, low (did you mean 'high'?)",
        "mapping_broken.yaml line 7: values.monitored: 'monitored' is not a field of asset_inventory "
        "(one of asset_id, name, site, environment, zone, asset_type, vendor, model, firmware_os, support_status, "
        "criticality, owner, operational_function, location, dependencies, data_flows, recovery_requirement, last_verified, end_of_support)",
        "mapping_broken.yaml line 8: values.last_verified: values of date field 'last_verified' cannot be mapped "
        "(map text, enumeration or yes/no fields)",
        "mapping_broken.yaml line 10: values.support_status.True: True is read by YAML as a boolean "
        '(put the value in quotes, e.g. "Yes": true)',
        "mapping_broken.yaml line 11: header_row: 0 is not a row number (a whole number from 1 to 1000)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: [a, b]", "expected a mapping of file header → field"),
        ("values: 3", "expected a mapping of field →"),
        ("values: {criticality: [1, 2]}", "expected a mapping of value in file → canonical value"),
        ("date_order: sideways", "'sideways' is not allowed"),
        ("- just\n- a list", "expected a mapping with keys"),
        ("columns: {a: b", "YAML error"),
        ("!!python/object:os.system {}", "YAML error"),
        ("columns: {x: name}\ncolumns: {y: name}", "duplicate key"),
    ],
)
def test_invalid_mapping_files(text, message) -> None:
    with pytest.raises(EvidenceError) as err:
        parse_mapping(text, ASSET_INVENTORY, "m.yaml")
    assert message in str(err.value)


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(EvidenceError):
        parse_mapping(bomb, ASSET_INVENTORY, "m.yaml")


def test_empty_mapping_and_bytes_input() -> None:
    assert parse_mapping("", ASSET_INVENTORY).columns == {}
    mapping = load_mapping(b'values: {monitored: {"Y": true}}', "access_paths", "m.yaml")
    assert mapping.values == {"monitored": {"y": True}}
    with pytest.raises(EvidenceError, match="not UTF-8"):
        load_mapping(b"\xff\xfe\x00bad", "access_paths")


def test_bool_and_enum_value_maps_and_date_order() -> None:
    mapping = parse_mapping(
        'values: {mfa: {"Ja": yes, "Nein": "no"}, path_type: {"TeamViewer": other}}\ndate_order: day_first',
        ACCESS_PATHS,
    )
    data = b"path_id,mfa,path_type\nP1,Ja,TeamViewer\nP2,nein,vpn\n"
    frame = read_dataset(data, "access_paths", mapping=mapping, name="p.csv").frame
    assert list(frame["mfa"]) == [True, False]
    assert list(frame["path_type"]) == ["other", "vendor_vpn"]
    inventory = read_dataset(b"asset_id,last_verified\nA1,05/03/2024\n", "asset_inventory", name="i.csv",
                             mapping=parse_mapping("date_order: day_first", ASSET_INVENTORY))
    assert str(inventory.frame["last_verified"].iloc[0].date()) == "2024-03-05"


def test_mapped_column_wins_over_an_automatic_match() -> None:
    mapping = parse_mapping('columns: {"Crit": criticality}', ASSET_INVENTORY)
    result = read_dataset(b"asset_id,Crit,criticality\nA1,low,high\n", "asset_inventory", mapping=mapping, name="i.csv")
    assert list(result.frame["criticality"]) == ["low"]
    assert [p.message for p in result.warnings] == ["ignored: the mapping file reads criticality from 'Crit'"]


def test_header_row_from_the_mapping() -> None:
    mapping = parse_mapping("header_row: 2", ASSET_INVENTORY)
    result = read_dataset(b"asset_id,name\nasset_id,owner\nA1,x\n", "asset_inventory", mapping=mapping, name="i.csv")
    assert result.columns == {"asset_id": "asset_id", "owner": "owner"} and list(result.frame.index) == [3]
    with pytest.raises(EvidenceError, match="header is on row 9"):
        read_dataset(b"asset_id\nA1\n", "asset_inventory", mapping=parse_mapping("header_row: 9", ASSET_INVENTORY), name="i.csv")


def test_header_row_beyond_the_automatic_search() -> None:
    titles = "".join(f"note {i}\n" for i in range(39))
    data = f"{titles}asset_id,name\nA1,x\n".encode()
    with pytest.raises(EvidenceError, match="no header row"):
        read_dataset(data, "asset_inventory", name="i.csv")
    mapped = read_dataset(data, "asset_inventory", mapping=parse_mapping("header_row: 40", ASSET_INVENTORY), name="i.csv")
    assert list(mapped.frame.index) == [41] and mapped.frame.loc[41, "name"] == "x"
