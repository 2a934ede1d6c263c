#include "formats/png_image.h"

#include <stb_image_write.h>

#include <stdexcept>

namespace attune::formats {

namespace {

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba) {
    if (width <= 0 || height <= 0 ||
        rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
        throw std::invalid_argument("encode_png: the pixels do not match the picture's size");
    std::string bytes;
    if (!stbi_write_png_to_func(append, &bytes, width, height, 4, rgba.data(), width * 4))
        throw std::runtime_error("the PNG encoder failed");
    return bytes;
}

}  // namespace attune::formats
