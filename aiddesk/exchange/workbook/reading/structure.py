"""Step 4 of reading a workbook: the structure of its package, checked before calamine sees it.

The content types, every relationship and the workbook part are parsed whole with defusedxml
(which refuses any DTD, entity or external reference): macros, links to other files or the
internet, an OpenDocument or damaged package are refused here, and the list of sheets with their
states and parts is taken from the workbook part. Every other part that is not a worksheet is
unpacked once (real sizes, checksums, no DTD): calamine reads some of them (shared strings,
styles) as soon as it opens the workbook."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from aiddesk.exchange.workbook.reading.file_kind import MIB
from aiddesk.exchange.workbook.reading.refusals import (
    damaged,
    external_links,
    macros,
    missing_sheet,
    missing_sheet_list,
    not_a_workbook,
    ods,
)
from aiddesk.exchange.workbook.reading.zip_guard import ZipPackage, unusual, xml_tricks

MAX_SMALL_XML_BYTES = 32 * MIB  # parts parsed whole with defusedxml: content types, rels, workbook
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
SHEET_STATES = ("visible", "hidden", "veryHidden")
SHEET_KINDS = {"worksheets": "worksheet", "chartsheets": "chartsheet", "dialogsheets": "dialogsheet"}
XML_SUFFIXES = (".xml", ".rels", ".vml")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MACRO_MARKERS = ("vbaproject", "macroenabled", "macrosheet", "dialogsheet", "activex")
EXTERNAL_MARKERS = ("externallink", "connections", "querytable")
EXTERNAL_PART_MARKERS = ("externallink", "querytables/", "/connections.xml")
HYPERLINK_TYPE_END = "/hyperlink"


@dataclass(frozen=True)
class Sheet:
    name: str
    state: str
    path: str
    kind: str  # "worksheet" | "chartsheet"


@dataclass
class Structure:
    sheets: list[Sheet]
    date1904: bool
    parsed_parts: set[str]


def read_structure(package: ZipPackage) -> Structure:
    _check_is_workbook(package)
    _refuse_active_part_names(package)
    _check_content_types(package, _parse_xml(package, CONTENT_TYPES))
    workbook_rels = _check_all_relationships(package)
    workbook = _parse_xml(package, WORKBOOK_PART)
    sheets = [_sheet_entry(package, element, workbook_rels) for element in _elements(workbook, "sheet")]
    _check_sheet_names(package.label, sheets)
    parsed = {CONTENT_TYPES, WORKBOOK_PART} | {name for name in package.parts if _is_rels(name)}
    return Structure(sheets=sheets, date1904=_date1904(workbook), parsed_parts=parsed)


def _check_is_workbook(package: ZipPackage) -> None:
    parts = package.parts
    if _is_ods(package):
        raise ods(package.label)
    if WORKBOOK_PART not in parts:
        if "xl/workbook.bin" not in parts and any(name.startswith("xl/") for name in parts):
            raise missing_sheet_list(package.label)
        raise not_a_workbook(package.label)
    if CONTENT_TYPES not in parts or WORKBOOK_RELS not in parts:
        raise damaged(package.label)


def _is_ods(package: ZipPackage) -> bool:
    mimetype = package.parts.get("mimetype")
    return (
        mimetype is not None and mimetype.file_size < 256 and package.read("mimetype").strip() == ODS_MIMETYPE
    )


def _refuse_active_part_names(package: ZipPackage) -> None:
    for name in package.parts:
        lowered = name.lower()
        if "vbaproject" in posixpath.basename(lowered) or "/activex/" in f"/{lowered}":
            raise macros(package.label)
    for name in package.parts:
        if any(marker in f"/{name.lower()}" for marker in EXTERNAL_PART_MARKERS):
            raise external_links(package.label)


def _parse_xml(package: ZipPackage, name: str) -> Element:
    """A small XML part parsed by defusedxml, which refuses any DTD, entity or external reference."""
    if package.parts[name].file_size > MAX_SMALL_XML_BYTES:
        raise unusual(package.label)
    data = package.read(name)
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise xml_tricks(package.label) from exc
    except SafeElementTree.ParseError as exc:
        raise damaged(package.label) from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _elements(root: Element, local_name: str) -> Iterator[Element]:
    return (element for element in root.iter() if _local(element.tag) == local_name)


def _check_content_types(package: ZipPackage, types: Element) -> None:
    for element in types.iter():
        content_type = (element.get("ContentType") or "").lower()
        if any(marker in content_type for marker in MACRO_MARKERS):
            raise macros(package.label)
        if any(marker in content_type for marker in EXTERNAL_MARKERS):
            raise external_links(package.label)


def _is_rels(name: str) -> bool:
    return name.lower().endswith(".rels")


def _check_all_relationships(package: ZipPackage) -> dict[str, str]:
    """Refuse macro and external relationships in every .rels part; the workbook's id -> target."""
    workbook_rels: dict[str, str] = {}
    for name in filter(_is_rels, package.parts):
        for relationship in _elements(_parse_xml(package, name), "Relationship"):
            _check_relationship(package.label, relationship)
            if name == WORKBOOK_RELS:
                workbook_rels[relationship.get("Id", "")] = relationship.get("Target", "")
    return workbook_rels


def _check_relationship(label: str, relationship: Element) -> None:
    kind = (relationship.get("Type") or "").lower()
    if any(marker in kind for marker in MACRO_MARKERS):
        raise macros(label)
    external = (relationship.get("TargetMode") or "").lower() == "external"
    if any(marker in kind for marker in EXTERNAL_MARKERS) or (
        external and not kind.endswith(HYPERLINK_TYPE_END)
    ):
        raise external_links(label)


def _sheet_entry(package: ZipPackage, element: Element, workbook_rels: dict[str, str]) -> Sheet:
    name = element.get("name")
    state = element.get("state") or "visible"
    target = workbook_rels.get(_relationship_id(element) or "")
    if not name or state not in SHEET_STATES or target is None:
        raise damaged(package.label)
    path = _sheet_path(target)
    folders = path.split("/")
    kind = SHEET_KINDS.get(folders[1]) if len(folders) > 2 else None
    if kind == "dialogsheet":
        raise macros(package.label)
    if kind is None:
        raise damaged(package.label)
    if path not in package.parts:
        raise missing_sheet(package.label, name)
    return Sheet(name=name, state=state, path=path, kind=kind)


def _relationship_id(element: Element) -> str | None:
    for key, value in element.attrib.items():
        namespace, _brace, local = key[1:].partition("}") if key.startswith("{") else ("", "", key)
        if local == "id" and namespace.endswith("relationships"):
            return value
    return None


def _sheet_path(target: str) -> str:
    """The zip path calamine reads for a workbook relationship target (the same rule, so the part
    checked here is the part calamine parses)."""
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


def _check_sheet_names(label: str, sheets: list[Sheet]) -> None:
    if len({sheet.name for sheet in sheets}) != len(sheets) or len({s.path for s in sheets}) != len(sheets):
        raise damaged(label)


def _date1904(workbook: Element) -> bool:
    return any(
        (element.get("date1904") or "").lower() in ("1", "true")
        for element in _elements(workbook, "workbookPr")
    )


def check_other_parts(package: ZipPackage, structure: Structure) -> None:
    """Unpack every part not parsed above and not a worksheet: real sizes, checksums and no DTD.
    calamine reads some of them (shared strings, styles) as soon as it opens the workbook."""
    worksheets = {sheet.path for sheet in structure.sheets if sheet.kind == "worksheet"}
    charts = {sheet.path for sheet in structure.sheets if sheet.kind == "chartsheet"}
    for name in package.parts:
        if name not in structure.parsed_parts and name not in worksheets:
            package.check_part(name, xml=name.lower().endswith(XML_SUFFIXES) or name in charts)
