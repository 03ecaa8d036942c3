// src/csv.hpp: reading CSV files as spreadsheets and accounting software
// write them (docs/csv.md): the text's encoding and delimiter are detected,
// then records are parsed by libcsv (RFC 4180 quoting, quoted line breaks,
// doubled quotes, CR LF or LF). Private to the library; the import builds
// on it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kartotek::csv {

// Text: a file's bytes as UTF-8, and what they were.
struct Text {
  std::string utf8;
  std::string encoding;  // "UTF-8", "UTF-8 with BOM" or "windows-1252"
};

// decode: UTF-8 with or without a byte order mark is taken as it is (the
// mark dropped); anything that is not valid UTF-8 is read as Windows-1252,
// what Excel and Nordic accounting software write on Windows. UTF-16 (a
// UTF-16 byte order mark) is refused with ValidationError: save as UTF-8.
Text decode(std::string_view bytes);

// detect_delimiter: ',', ';' or '\t': the one that splits the first lines
// (outside quotes) into the same number of fields, the most fields winning;
// ',' when nothing splits.
char detect_delimiter(std::string_view utf8);

// Record: the fields of one record and its number in the file (the first
// record, the header, is 1), as a spreadsheet numbers its rows when no field
// holds a line break and no line is blank.
struct Record {
  std::size_t number = 0;
  std::vector<std::string> fields;
};

// parse: calls `on_record` for each record of `utf8` in order. Fields keep
// their spaces; blank lines are skipped and not counted; a quote inside an
// unquoted field is an ordinary character. A quoted field still open at the
// end throws ValidationError naming the record where it began ("record 7").
// What `on_record` throws ends the parse and is rethrown. `on_progress`, if
// given, hears after each piece of the text how many bytes are parsed.
void parse(std::string_view utf8, char delimiter, const std::function<void(Record&&)>& on_record,
           const std::function<void(std::size_t)>& on_progress = {});

}  // namespace kartotek::csv
