# tests/check_test_names.cmake: fails when a Catch2 test name would not reach
# ctest whole. catch_discover_tests hands the names over as a CMake list, so
# a ';' in a name splits it into entries that match no test and run nothing.
# Run: cmake -DTESTS=<kartotek_cpp_tests> -P check_test_names.cmake
execute_process(COMMAND "${TESTS}" --list-test-names-only
  OUTPUT_VARIABLE names RESULT_VARIABLE status)
if(NOT status EQUAL 0 AND names STREQUAL "")
  message(FATAL_ERROR "${TESTS} --list-test-names-only failed (${status})")
endif()
string(FIND "${names}" ";" at)
if(NOT at EQUAL -1)
  string(SUBSTRING "${names}" 0 ${at} before)
  string(REGEX REPLACE ".*\n" "" start "${before}")
  message(FATAL_ERROR "a test name holds ';', which ctest would split: \"${start};...\"")
endif()
