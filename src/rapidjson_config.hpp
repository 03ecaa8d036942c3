// src/rapidjson_config.hpp: include before any RapidJSON header. RapidJSON's
// asserts abort by default; here a violated one throws, so malformed input can
// never end the process.
#pragma once

#include <stdexcept>

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  do {                      \
    if (!(x)) throw std::logic_error("RapidJSON assertion failed: " #x); \
  } while (false)
#endif
#define RAPIDJSON_HAS_STDSTRING 1
#define RAPIDJSON_NOEXCEPT_ASSERT(x)
