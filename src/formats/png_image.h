// png_image.h: RGBA pixels to PNG bytes (stb_image_write), for still frames
// of a recording (`attune recording frame`). Writing the bytes to a file is
// formats/output_file.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attune::formats {

// `rgba`: width x height pixels, rows top to bottom, 4 bytes each. Throws
// std::invalid_argument for sizes that do not match, std::runtime_error when
// the encoder fails.
std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace attune::formats
