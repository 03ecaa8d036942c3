// kartotek/version.hpp: the version of the headers; kartotek::version() gives
// the linked library's, so a program can check that they agree.
#pragma once

#define KARTOTEK_VERSION_MAJOR 0
#define KARTOTEK_VERSION_MINOR 1
#define KARTOTEK_VERSION_PATCH 0
#define KARTOTEK_VERSION_STRING "0.1.0"

namespace kartotek {
const char* version() noexcept;
}
