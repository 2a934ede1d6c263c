// export_pdf.h: the case summary as a PDF to file or print (cairo).
//
// A4 (default) or US Letter; every page has a header with the case label and
// the period, and a "Page i of N" footer. The trend charts are vectors drawn
// from the same ChartSpec / layout_chart / palette as the GUI's charts, so a
// chart looks the same on screen and on paper. Text uses cairo's toy API with
// "DejaVu Sans" (fontconfig falls back per glyph, so accents and Cyrillic
// render). The input has no private process note, so none can appear.
#pragma once

#include "core/chart_model.h"
#include "formats/export_data.h"

#include <string>
#include <vector>

namespace attune::formats {

enum class PaperSize { A4, Letter };

// The charts the PDF draws: the trends view's (core/trend_charts.h).
std::vector<ChartSpec> case_summary_charts(const CaseSummaryData& data);

// The PDF file's bytes. Throws std::runtime_error when cairo fails.
std::string case_summary_pdf(const CaseSummaryData& data, PaperSize paper);

}  // namespace attune::formats
