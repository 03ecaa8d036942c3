# tests/consumer/run.cmake: install kartotek from a build tree into a scratch
# prefix, then configure, build and run tests/consumer against that prefix.
#
#   cmake -DKARTOTEK_BUILD_DIR=<kartotek build dir> -DWORK_DIR=<scratch dir>
#         [-DGENERATOR=<generator>] [-DMAKE_PROGRAM=<make/ninja path>]
#         [-DCXX_COMPILER=<c++ compiler>] [-DCONFIG=<build type>]
#         -P tests/consumer/run.cmake
#
# WORK_DIR is wiped first. Any failing step ends in FATAL_ERROR with the
# step's captured output.
cmake_minimum_required(VERSION 3.20)

foreach(var KARTOTEK_BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${KARTOTEK_BUILD_DIR}/cmake_install.cmake")
  message(FATAL_ERROR "consumer: ${KARTOTEK_BUILD_DIR} is not a configured kartotek build tree")
endif()

set(source_dir "${CMAKE_CURRENT_LIST_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(binary_dir "${WORK_DIR}/build")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# run_step(<name> <command...>): run a command, fail with its output.
function(run_step name)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmdline "${ARGN}")
    message(FATAL_ERROR
      "consumer: ${name} failed (${rc})\n"
      "command: ${cmdline}\n"
      "---- output ----\n${out}---- end ----")
  endif()
  message(STATUS "consumer: ${name}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

# 1. install
set(config_args)
if(DEFINED CONFIG AND NOT CONFIG STREQUAL "")
  set(config_args --config "${CONFIG}")
endif()
run_step("install" "${CMAKE_COMMAND}" --install "${KARTOTEK_BUILD_DIR}"
  --prefix "${prefix}" ${config_args})

# 2. configure tests/consumer against the prefix only (no package registry,
#    so a kartotek found anywhere else cannot stand in for the install).
set(configure_args -S "${source_dir}" -B "${binary_dir}"
  "-DCMAKE_PREFIX_PATH=${prefix}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(DEFINED CXX_COMPILER AND NOT CXX_COMPILER STREQUAL "")
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(DEFINED CONFIG AND NOT CONFIG STREQUAL "")
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()
run_step("configure" "${CMAKE_COMMAND}" ${configure_args})

# The package must come from the install prefix, not the source or build tree.
file(STRINGS "${binary_dir}/CMakeCache.txt" kartotek_dir_line REGEX "^kartotek_DIR:")
string(REGEX REPLACE "^kartotek_DIR:[A-Z]+=" "" kartotek_dir "${kartotek_dir_line}")
file(REAL_PATH "${prefix}" real_prefix)
if(EXISTS "${kartotek_dir}")
  file(REAL_PATH "${kartotek_dir}" kartotek_dir)
endif()
string(FIND "${kartotek_dir}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "consumer: kartotek was found at '${kartotek_dir}', not under ${prefix}")
endif()

# 3. build
run_step("build" "${CMAKE_COMMAND}" --build "${binary_dir}" ${config_args})

# 4. run
set(candidates "${binary_dir}/consumer")
if(DEFINED CONFIG AND NOT CONFIG STREQUAL "")
  list(APPEND candidates "${binary_dir}/${CONFIG}/consumer")
endif()
set(exe "")
foreach(candidate IN LISTS candidates)
  foreach(suffix "" ".exe")
    if(exe STREQUAL "" AND EXISTS "${candidate}${suffix}")
      set(exe "${candidate}${suffix}")
    endif()
  endforeach()
endforeach()
if(exe STREQUAL "")
  message(FATAL_ERROR "consumer: no consumer binary in ${binary_dir}")
endif()
run_step("run" "${exe}")
string(STRIP "${step_output}" step_output)
message(STATUS "consumer: the binary said: ${step_output}")
