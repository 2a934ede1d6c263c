// boris_parse_internal.h: private to src/formats/boris_parse*.cpp: what the
// project reader and the export reader share (messages, numbers, dates,
// modifiers, event order and clocks).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/boris.h"

namespace attune::formats::detail {

// "FILE: MESSAGE; nothing was imported".
[[noreturn]] void fail(const std::filesystem::path& file, const std::string& message);
std::string line_label(int line);  // "line 12"
std::string single_quoted(const std::string& text);
int line_of_offset(const std::string& text, size_t offset);

// A finite number; surrounding spaces accepted, nothing else.
std::optional<double> parse_number(std::string_view text);
// "NA", "NaN", "inf", "Infinity" (any case, with a sign) and the empty text:
// what BORIS writes for a time it does not have.
bool is_missing_number(std::string_view text);

// "2016-11-27 01:57:26", "2016-11-27T01:57:26.123" or "2016-11-27" -> the
// date, HH:MM and the second of the day (when a time is given).
bool split_date(const std::string& text, std::string& date, std::string& start_time,
                std::optional<double>* second_of_day = nullptr);

// BORIS joins modifier sets with '|' and writes "None" for a set left unchosen;
// `set_names` names the sets in order (empty in exports).
std::vector<BorisModifier> split_modifiers(const std::string& text, const std::vector<std::string>& set_names);

// BORIS's order: by time, subject and behaviour (stable) when every event has
// a time; otherwise the file's order, which BORIS keeps for such observations.
void order_events(std::vector<BorisEvent>& events, bool by_subject_and_behavior);

// Day-clock and epoch times (declared by the project, else recognised by
// their size against the observation's start) rebased to the start.
void rebase_clock(BorisObservation& observation, std::optional<BorisClock> declared,
                  std::optional<double> start_second_of_day);

BorisData parse_project(const std::filesystem::path& file, const std::string& text);
BorisData parse_export(const std::filesystem::path& file, const std::string& text);

}  // namespace attune::formats::detail
