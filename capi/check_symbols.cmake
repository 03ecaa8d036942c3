# capi/check_symbols.cmake: the ABI guard of libkartotek.
#
#   cmake -DMODE=exports -DLIBRARY=<libkartotek.so> -DNM=<nm> -DEXPECTED=<symbols.txt>
#         -DHEADER=<kartotek.h> -P check_symbols.cmake
#     The symbols the shared library exports (nm -D --defined-only) must be
#     exactly those in symbols.txt, each must start with kt_, and the header
#     must declare exactly those functions. Removing or adding a symbol is thus
#     a deliberate act: an edit of symbols.txt in the same change.
#
#   cmake -DMODE=tested -DEXPECTED=<symbols.txt> -DTEST_DIR=<tests/c> -P check_symbols.cmake
#     Every function in symbols.txt is called somewhere in the C test suite.
#
# Fails with FATAL_ERROR listing what differs.
cmake_minimum_required(VERSION 3.20)

function(require)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "check_symbols: -D${var}=... is required")
    endif()
  endforeach()
endfunction()

# The names in symbols.txt (one a line; blank lines and # comments ignored).
function(read_expected out)
  file(STRINGS "${EXPECTED}" lines)
  set(names)
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    list(APPEND names "${line}")
  endforeach()
  list(SORT names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# report(<what> <list a> <list b>): FATAL_ERROR naming the entries of a that
# are not in b and those of b not in a.
function(compare what have_var want_var have_label want_label)
  set(extra ${${have_var}})
  set(missing ${${want_var}})
  if(extra)
    list(REMOVE_ITEM extra ${${want_var}})
  endif()
  if(missing)
    list(REMOVE_ITEM missing ${${have_var}})
  endif()
  set(msg "")
  if(extra)
    list(JOIN extra "\n  " text)
    string(APPEND msg "${have_label} but not ${want_label}:\n  ${text}\n")
  endif()
  if(missing)
    list(JOIN missing "\n  " text)
    string(APPEND msg "${want_label} but not ${have_label}:\n  ${text}\n")
  endif()
  set(${what} "${msg}" PARENT_SCOPE)
endfunction()

require(MODE EXPECTED)
read_expected(expected)

if(MODE STREQUAL "exports")
  require(LIBRARY NM HEADER)
  execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_symbols: ${NM} failed (${rc}): ${err}")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(exported)
  foreach(line IN LISTS lines)
    # "0000000000012340 T kt_version" (newer binutils may add "@VERSION").
    if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] ([^ @]+)")
      list(APPEND exported "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES exported)
  list(SORT exported)

  set(foreign)
  foreach(name IN LISTS exported)
    if(NOT name MATCHES "^kt_")
      list(APPEND foreign "${name}")
    endif()
  endforeach()

  # Every declaration starts a line with KT_API and names its function there.
  file(STRINGS "${HEADER}" declarations REGEX "^KT_API ")
  set(declared)
  foreach(d IN LISTS declarations)
    if(d MATCHES "[ *](kt_[a-z0-9_]+)\\(")
      list(APPEND declared "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  list(SORT declared)

  set(problems "")
  if(foreign)
    list(JOIN foreign "\n  " text)
    string(APPEND problems "exported symbols without the kt_ prefix:\n  ${text}\n")
  endif()
  compare(diff exported expected "exported by ${LIBRARY}" "listed in ${EXPECTED}")
  string(APPEND problems "${diff}")
  compare(diff declared expected "declared in ${HEADER}" "listed in ${EXPECTED}")
  string(APPEND problems "${diff}")
  if(NOT problems STREQUAL "")
    message(FATAL_ERROR "check_symbols: the C API's ABI differs from the committed list.\n"
      "${problems}"
      "If the change is intended, update ${EXPECTED} (and KT_ABI_VERSION when "
      "a symbol was removed or changed).")
  endif()
  list(LENGTH exported n)
  message(STATUS "check_symbols: ${n} exported symbols, all kt_, all listed and declared")

elseif(MODE STREQUAL "tested")
  require(TEST_DIR)
  file(GLOB sources "${TEST_DIR}/*.c")
  set(text "")
  foreach(source IN LISTS sources)
    file(READ "${source}" content)
    string(APPEND text "${content}\n")
  endforeach()
  set(untested)
  foreach(name IN LISTS expected)
    string(FIND "${text}" "${name}(" at)
    if(at EQUAL -1)
      list(APPEND untested "${name}")
    endif()
  endforeach()
  if(untested)
    list(JOIN untested "\n  " list)
    message(FATAL_ERROR "check_symbols: functions no C test calls:\n  ${list}")
  endif()
  list(LENGTH expected n)
  message(STATUS "check_symbols: all ${n} functions are called by the C tests")

else()
  message(FATAL_ERROR "check_symbols: unknown MODE '${MODE}'")
endif()
