"""The exchange workbook as a file: the safe zip reader (zip_guard), container (open, encrypt,
write), reader/writer of the sheets, their layout, cells and `_state` text, hand edits found in
visible sheets, the README sheet, pseudonyms, and foreign spreadsheets read as tables
(sheet_source). Uses domain, store and i18n; never services or ui."""
