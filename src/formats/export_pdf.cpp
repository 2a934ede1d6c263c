// Index:
// [SECTION] Page writer: header, footer, wrapped text, page breaks
// [SECTION] Charts on paper
// [SECTION] Tables on paper
// [SECTION] The document
#include "formats/export_pdf.h"

#include "core/text.h"
#include "core/trend_charts.h"
#include "formats/export_text.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <stdexcept>

namespace attune::formats {

// [SECTION] Page writer: header, footer, wrapped text, page breaks

namespace {

constexpr const char* kFont = "DejaVu Sans";
constexpr double kMargin = 56.0;
constexpr double kTop = 70.0;     // first text line below the header rule
constexpr double kBottom = 56.0;  // space kept free for the footer

void set_color(cairo_t* cr, Rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

// Byte offsets of the UTF-8 character boundaries before and after `at`.
size_t utf8_previous(const std::string& text, size_t at) {
    if (at == 0) return 0;
    --at;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
}
size_t utf8_next(const std::string& text, size_t at) {
    if (at >= text.size()) return text.size();
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    return at;
}

class PageWriter {
public:
    PageWriter(cairo_t* cr, double width, double height, std::string header_left, std::string header_right,
               int total_pages)
        : cr_(cr), width_(width), height_(height), header_left_(std::move(header_left)),
          header_right_(std::move(header_right)), total_pages_(total_pages) {}

    cairo_t* cr() const { return cr_; }
    double left() const { return kMargin; }
    double content_width() const { return width_ - 2 * kMargin; }
    double y() const { return y_; }
    void advance(double dy) { y_ += dy; }
    int pages() const { return page_; }

    void font(double size, bool bold = false) {
        cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr_, size);
    }
    double measure(const std::string& text) const {
        cairo_text_extents_t e;
        cairo_text_extents(cr_, text.c_str(), &e);
        return e.x_advance;
    }
    double ascent() const {
        cairo_font_extents_t e;
        cairo_font_extents(cr_, &e);
        return e.ascent;
    }
    // Draws text with its top-left corner at (x, top), as chart layouts place labels.
    void text_at(double x, double top, const std::string& text) {
        cairo_move_to(cr_, x, top + ascent());
        cairo_show_text(cr_, text.c_str());
    }

    void begin_page() {
        ++page_;
        y_ = kTop;
        cairo_save(cr_);
        font(8);
        set_color(cr_, palette::text);
        // The period stays whole; a long case label is shortened to leave room for it.
        const double right_width = measure(header_right_);
        text_at(kMargin, 30, elide(header_left_, content_width() - right_width - 18));
        text_at(width_ - kMargin - right_width, 30, header_right_);
        cairo_set_source_rgba(cr_, 0.5, 0.5, 0.5, 1.0);
        cairo_set_line_width(cr_, 0.5);
        cairo_move_to(cr_, kMargin, 44);
        cairo_line_to(cr_, width_ - kMargin, 44);
        cairo_stroke(cr_);
        set_color(cr_, palette::text);
        const std::string footer = "Page " + std::to_string(page_) + " of " + std::to_string(std::max(total_pages_, page_));
        text_at((width_ - measure(footer)) / 2, height_ - 36, footer);
        cairo_restore(cr_);
    }
    void end_page() { cairo_show_page(cr_); }

    // Starts a new page unless `needed` points still fit on this one.
    void ensure(double needed) {
        if (y_ + needed <= height_ - kBottom) return;
        end_page();
        begin_page();
    }

    // `text` cut at a character boundary and ended with "…" so that it fits `width`.
    std::string elide(const std::string& text, double width) const {
        if (measure(text) <= width) return text;
        const std::string ellipsis = "\xE2\x80\xA6";
        std::string cut = text;
        while (!cut.empty() && measure(cut + ellipsis) > width) cut.erase(utf8_previous(cut, cut.size()));
        while (!cut.empty() && cut.back() == ' ') cut.pop_back();
        return cut + ellipsis;
    }

    // Word-wrapped lines of `text` within `width` at the current font. A word
    // wider than the line (a long label without spaces) is broken between characters.
    std::vector<std::string> wrap(const std::string& text, double width) const {
        std::vector<std::string> lines;
        std::string line;
        size_t i = 0;
        while (i <= text.size()) {
            const size_t end = std::min(text.find_first_of(" \n", i), text.size());
            std::string word = text.substr(i, end - i);
            while (measure(word) > width && word.size() > 1) {
                if (!line.empty()) {
                    lines.push_back(line);
                    line.clear();
                }
                size_t cut = word.size();
                while (cut > 1 && measure(word.substr(0, cut)) > width) cut = utf8_previous(word, cut);
                if (cut == 0) cut = utf8_next(word, 0);
                lines.push_back(word.substr(0, cut));
                word.erase(0, cut);
            }
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && measure(candidate) > width) {
                lines.push_back(line);
                line = word;
            } else {
                line = candidate;
            }
            if (end < text.size() && text[end] == '\n') {
                lines.push_back(line);
                line.clear();
            }
            i = end + 1;
        }
        if (!line.empty()) lines.push_back(line);
        return lines;
    }

    void paragraph(const std::string& text, double size = 10, bool bold = false, bool bullet = false) {
        font(size, bold);
        const double indent = bullet ? 12.0 : 0.0;
        const double line_height = size * 1.35;
        const std::vector<std::string> lines = wrap(text, content_width() - indent);
        for (size_t i = 0; i < lines.size(); ++i) {
            ensure(line_height);
            set_color(cr_, palette::text);
            if (bullet && i == 0) text_at(left(), y_, "\xE2\x80\xA2");
            text_at(left() + indent, y_, lines[i]);
            y_ += line_height;
        }
        y_ += size * 0.35;
    }

    void heading(const std::string& text) {
        ensure(60);  // keep a heading with the start of what follows
        y_ += 6;
        paragraph(text, 12, true);
    }

private:
    cairo_t* cr_;
    double width_;
    double height_;
    std::string header_left_;
    std::string header_right_;
    int total_pages_;
    int page_ = 0;
    double y_ = kTop;
};

// [SECTION] Charts on paper

void draw_chart(PageWriter& page, const ChartSpec& spec, double height, double x0, double width) {
    cairo_t* cr = page.cr();
    page.font(8);
    TextMetrics metrics;
    metrics.line_height = 8 * 1.25;
    metrics.width = [&page](std::string_view text) { return page.measure(std::string(text)); };
    const PixelRect frame{x0, page.y(), x0 + width, page.y() + height - 12};
    const ChartLayout layout = layout_chart(spec, frame, metrics);
    const PixelRect& plot = layout.plot;
    cairo_save(cr);

    for (const PlacedBand& band : layout.bands) {
        set_color(cr, spec.bands[band.index].color);
        cairo_rectangle(cr, band.rect.x0, band.rect.y0, band.rect.width(), band.rect.height());
        cairo_fill(cr);
        set_color(cr, with_alpha(palette::text, 0.75f));
        page.text_at(band.label_pos.x, band.label_pos.y, band.label);
    }
    for (const PlacedYBand& band : layout.y_bands) {  // e.g. an instrument's clinical range
        set_color(cr, spec.y_bands[band.index].color);
        cairo_rectangle(cr, band.rect.x0, band.rect.y0, band.rect.width(), band.rect.height());
        cairo_fill(cr);
        set_color(cr, with_alpha(palette::text, 0.75f));
        page.text_at(band.label_pos.x, band.label_pos.y, spec.y_bands[band.index].label);
    }
    cairo_set_line_width(cr, 0.5);
    for (const PlacedTick& tick : layout.y_ticks) {
        set_color(cr, palette::grid);
        cairo_move_to(cr, plot.x0, tick.pixel);
        cairo_line_to(cr, plot.x1, tick.pixel);
        cairo_stroke(cr);
        set_color(cr, palette::text);
        page.text_at(tick.label_pos.x, tick.label_pos.y, tick.label);
    }
    for (const PlacedTick& tick : layout.x_ticks) {
        set_color(cr, palette::axis);
        cairo_move_to(cr, tick.pixel, plot.y1);
        cairo_line_to(cr, tick.pixel, plot.y1 + 3);
        cairo_stroke(cr);
        set_color(cr, palette::text);
        page.text_at(tick.label_pos.x, tick.label_pos.y, tick.label);
    }
    set_color(cr, palette::axis);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, plot.x0, plot.y0);
    cairo_line_to(cr, plot.x0, plot.y1);
    cairo_line_to(cr, plot.x1, plot.y1);
    cairo_stroke(cr);

    for (const PlacedReferenceLine& line : layout.reference_lines) {
        const ReferenceLine& source = spec.reference_lines[line.index];
        set_color(cr, source.color);
        const double dashes[] = {4.0, 3.0};
        cairo_set_dash(cr, dashes, 2, 0);
        cairo_set_line_width(cr, 1.2);
        cairo_move_to(cr, plot.x0, line.pixel_y);
        cairo_line_to(cr, plot.x1, line.pixel_y);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        page.text_at(line.label_pos.x, line.label_pos.y, source.label);
    }

    // Lines break at sessions without a value; markers show every value.
    cairo_rectangle(cr, plot.x0 - 4, plot.y0 - 4, plot.width() + 8, plot.height() + 8);
    cairo_clip(cr);
    // Bars (side by side or stacked) first, lines and markers over them, as on screen.
    for (size_t s = 0; s < spec.series.size(); ++s) {
        if (!spec.series[s].visible || !is_bar_style(spec.series[s].style)) continue;
        set_color(cr, spec.series[s].color);
        for (size_t i = 0; i < spec.series[s].x.size(); ++i)
            if (const auto rect = bar_rect(spec, layout, {s, i})) {
                cairo_rectangle(cr, rect->x0, rect->y0, rect->width(), rect->height());
                cairo_fill(cr);
            }
    }
    for (const Series& series : spec.series) {
        if (!series.visible || is_bar_style(series.style)) continue;
        set_color(cr, series.color);
        cairo_set_line_width(cr, 1.6);
        bool drawing = false;
        for (size_t i = 0; i < series.x.size(); ++i) {
            if (!series.y[i]) {
                drawing = false;
                continue;
            }
            const PixelPoint p = layout.transform.to_pixel(series.x[i], *series.y[i]);
            if (drawing) cairo_line_to(cr, p.x, p.y);
            else cairo_move_to(cr, p.x, p.y);
            drawing = true;
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < series.x.size(); ++i) {
            if (!series.y[i]) continue;
            const PixelPoint p = layout.transform.to_pixel(series.x[i], *series.y[i]);
            cairo_arc(cr, p.x, p.y, layout.marker_radius, 0, 6.283185307179586);
            cairo_fill(cr);
        }
    }
    cairo_reset_clip(cr);

    set_color(cr, palette::text);
    if (layout.title_pos) {
        // The title is set in bold, wider than the text the layout measured: fitted again in it.
        page.font(9, true);
        TextMetrics bold;
        bold.width = [&page](std::string_view t) { return page.measure(std::string(t)); };
        const double room = layout.frame.width() - 8;
        const std::string title = fit_text(spec.title, room, bold);
        const double x = layout.frame.x0 + std::max(4.0, (layout.frame.width() - page.measure(title)) / 2.0);
        page.text_at(x, layout.title_pos->y, title);
        page.font(8);
    }
    if (layout.y_label_pos) page.text_at(layout.y_label_pos->x, layout.y_label_pos->y, spec.y_label);
    if (layout.x_label_pos) page.text_at(layout.x_label_pos->x, layout.x_label_pos->y, spec.x_label);
    for (const LegendEntry& entry : layout.legend) {
        set_color(cr, spec.series[entry.series].color);
        cairo_rectangle(cr, entry.swatch.x0, entry.swatch.y0, entry.swatch.width(), entry.swatch.height());
        cairo_fill(cr);
        set_color(cr, palette::text);
        page.text_at(entry.text_pos.x, entry.text_pos.y, entry.text);
    }
    cairo_restore(cr);
}

// [SECTION] Tables on paper

// A narrow column may break its header after an arrow ("Pursue→ withdraw").
std::string header_text(std::string text) {
    const std::string arrow = "\xE2\x86\x92";
    for (size_t at = text.find(arrow); at != std::string::npos; at = text.find(arrow, at + arrow.size() + 1))
        text.insert(at + arrow.size(), " ");
    return text;
}

void draw_table(PageWriter& page, const TextTable& table) {
    double size = 7.5;
    constexpr double pad = 4.0;
    cairo_t* cr = page.cr();
    // A column is as wide as its widest cell or header word; the header wraps.
    std::vector<double> widths;
    double total = 0;
    const auto measure_columns = [&] {
        widths.assign(table.header.size(), 0);
        page.font(size, true);
        for (size_t c = 0; c < widths.size(); ++c) {
            for (const std::string& word : split(header_text(table.header[c]), ' '))
                widths[c] = std::max(widths[c], page.measure(word));
        }
        page.font(size);
        for (const auto& row : table.rows)
            for (size_t c = 0; c < row.size() && c < widths.size(); ++c)
                widths[c] = std::max(widths[c], page.measure(row[c]));
        total = 0;
        for (double& w : widths) total += (w += 2 * pad);
    };
    measure_columns();
    if (total > page.content_width()) {  // too wide for the margins: a smaller font, never past the edge
        size = std::max(5.0, size * (page.content_width() - 2 * pad * static_cast<double>(widths.size())) /
                                 (total - 2 * pad * static_cast<double>(widths.size())));
        measure_columns();
    }
    const double line_height = size * 1.3;
    const double extra = std::max(0.0, (page.content_width() - total) / static_cast<double>(widths.size()));
    for (double& w : widths) w += extra;

    auto header = [&] {
        page.font(size, true);
        std::vector<std::vector<std::string>> wrapped;
        size_t lines = 1;
        for (size_t c = 0; c < widths.size(); ++c) {
            wrapped.push_back(page.wrap(header_text(table.header[c]), widths[c] - 2 * pad));
            lines = std::max(lines, wrapped.back().size());
        }
        const double height = static_cast<double>(lines) * line_height + 2 * pad;
        page.ensure(height + line_height + 2 * pad);
        cairo_set_source_rgba(cr, 0.92, 0.93, 0.95, 1.0);
        cairo_rectangle(cr, page.left(), page.y(), total + extra * static_cast<double>(widths.size()), height);
        cairo_fill(cr);
        set_color(cr, palette::text);
        double x = page.left();
        for (size_t c = 0; c < widths.size(); ++c) {
            for (size_t l = 0; l < wrapped[c].size(); ++l) {
                const double w = page.measure(wrapped[c][l]);
                const double tx = c < 2 ? x + pad : x + widths[c] - pad - w;  // numbers right-aligned
                page.text_at(tx, page.y() + pad + static_cast<double>(l) * line_height, wrapped[c][l]);
            }
            x += widths[c];
        }
        page.advance(height);
        page.font(size);
    };
    header();
    int header_page = page.pages();
    for (size_t r = 0; r < table.rows.size(); ++r) {
        page.ensure(line_height + 2 * pad);
        if (page.pages() != header_page) {  // continued on a new page: repeat the header
            header();
            header_page = page.pages();
        }
        if (r % 2 == 1) {
            cairo_set_source_rgba(cr, 0.97, 0.97, 0.98, 1.0);
            cairo_rectangle(cr, page.left(), page.y(), page.content_width(), line_height + pad);
            cairo_fill(cr);
        }
        set_color(cr, palette::text);
        double x = page.left();
        for (size_t c = 0; c < widths.size() && c < table.rows[r].size(); ++c) {
            const std::string& cell = table.rows[r][c];
            const double tx = c < 2 ? x + pad : x + widths[c] - pad - page.measure(cell);
            page.text_at(tx, page.y() + pad / 2, cell);
            x += widths[c];
        }
        page.advance(line_height + pad);
    }
    page.advance(8);
}

// [SECTION] The document

void render(PageWriter& page, const CaseSummaryData& data) {
    const CaseSummaryText text = describe_case(data);
    page.begin_page();
    page.paragraph(text.title, 16, true);
    for (const std::string& line : text.overview) page.paragraph(line);
    page.heading("Participants");
    for (const std::string& line : text.participants) page.paragraph(line, 10, false, true);
    if (!text.goals.empty()) {
        page.heading("Goals");
        page.paragraph(text.goals);
    }
    if (!text.stage_progression.empty()) {
        page.heading("EFT stage progression");
        for (const std::string& line : text.stage_progression) page.paragraph(line, 10, false, true);
    }
    page.heading("Progress");
    if (!text.safety.empty()) page.paragraph(text.safety, 10, true);  // before every other flag
    page.paragraph(text.track, 10, true);
    for (const std::string& line : text.trends) page.paragraph(line, 10, false, true);
    page.heading("Homework");
    page.paragraph(text.homework);
    const std::pair<const char*, const std::vector<std::string>*> process[] = {
        {"Couple-reported measures", &text.measures},
        {"Sequences between the partners", &text.sequences},
        {"Change events", &text.change_events}};
    for (const auto& [title, lines] : process) {
        if (lines->empty()) continue;
        page.ensure(60);  // a heading never ends a page
        page.heading(title);
        for (const std::string& line : *lines) page.paragraph(line, 10, false, true);
    }

    if (!data.case_metrics.sessions.empty()) {
        page.ensure(230);  // a heading never ends a page: "Trends" with its first chart
        page.heading("Trends");
        // The trends view's charts (core/trend_charts.h), two to a row as on screen.
        const std::vector<ChartSpec> charts = case_summary_charts(data);
        const double gap = 14;
        const double width = (page.content_width() - gap) / 2;
        for (std::size_t i = 0; i < charts.size(); i += 2) {
            page.ensure(170);
            draw_chart(page, charts[i], 170, page.left(), width);
            if (i + 1 < charts.size()) draw_chart(page, charts[i + 1], 170, page.left() + width + gap, width);
            page.advance(170);
        }
        page.ensure(100);  // and "Session metrics" with the table's header and first rows
        page.heading("Session metrics");
        draw_table(page, session_metrics_table(data));
        if (!text.not_counted.empty()) {
            page.heading("Not counted toward trends");
            for (const std::string& line : text.not_counted)
                page.paragraph(line, 10, false, true);
        }
    }
    if (!text.sign_offs.empty()) {
        page.heading("Signatures and addenda");
        for (const std::string& line : text.sign_offs)
            page.paragraph(line, 10, false, true);
    }
    page.end_page();
}

cairo_status_t append_to_string(void* closure, const unsigned char* bytes, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(bytes), length);
    return CAIRO_STATUS_SUCCESS;
}

// One full rendering into `out`; returns the number of pages it took.
int render_pdf(const CaseSummaryData& data, PaperSize paper, int total_pages, std::string& out) {
    // PDF points: A4 is 210 x 297 mm, Letter 8.5 x 11 in.
    const double width = paper == PaperSize::A4 ? 595.2756 : 612.0;
    const double height = paper == PaperSize::A4 ? 841.8898 : 792.0;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_to_string, &out, width, height);
    const std::string label = data.case_metrics.info.label;
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, ("Case summary " + label).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Attune");
    cairo_t* cr = cairo_create(surface);
    PageWriter page(cr, width, height, "Attune case summary: " + label, period_text(data), total_pages);
    render(page, data);
    const int pages = page.pages();
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("writing the PDF failed: ") + cairo_status_to_string(status));
    return pages;
}

}  // namespace

std::vector<ChartSpec> case_summary_charts(const CaseSummaryData& data) {
    return case_trend_charts(data.case_metrics, TrendChartOptions{data.show_five_to_one});
}

std::string case_summary_pdf(const CaseSummaryData& data, PaperSize paper) {
    // "Page i of N" needs N before the first page is drawn: lay the document
    // out once to count its pages, then draw it for real (the layout is
    // deterministic, so both passes break pages at the same places).
    std::string scratch;
    const int pages = render_pdf(data, paper, 0, scratch);
    std::string out;
    render_pdf(data, paper, pages, out);
    return out;
}

}  // namespace attune::formats
