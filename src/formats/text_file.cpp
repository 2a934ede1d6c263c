#include "formats/text_file.h"

#include <fstream>

namespace attune::formats {

std::string read_small_text_file(const std::filesystem::path& file, std::size_t max_bytes) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw TextFileError("cannot read " + file.string());
    std::string text;
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes)
            throw TextFileError(file.string() + " is larger than " +
                                (max_bytes >= 1024 ? std::to_string(max_bytes / 1024) + " KB"
                                                   : std::to_string(max_bytes) + " bytes"));
    }
    if (in.bad()) throw TextFileError("cannot read " + file.string());
    return text;
}

}  // namespace attune::formats
