# tests/c/install_consumer.cmake: installs kartotek from a build tree into a
# scratch prefix, then builds a C program against the installed C API the way
# an integrator would — with pkg-config, once against the shared library and
# once against the static one — and runs both.
#
#   cmake -DBUILD_DIR=<build tree> -DWORK_DIR=<scratch dir> -DSOURCE=<program.c>
#         -DC_COMPILER=<cc> -DLIBDIR=<CMAKE_INSTALL_LIBDIR> [-DCONFIG=<config>]
#         -P install_consumer.cmake
#
# Without pkg-config on PATH it prints "install consumer: skipped" (the
# test's skip expression) and passes nothing else.
cmake_minimum_required(VERSION 3.20)

foreach(var BUILD_DIR WORK_DIR SOURCE C_COMPILER LIBDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install consumer: -D${var}=... is required")
  endif()
endforeach()

find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG)
  message("install consumer: skipped (no pkg-config on PATH)")
  return()
endif()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmdline "${ARGN}")
    message(FATAL_ERROR "install consumer: ${name} failed (${rc})\ncommand: ${cmdline}\n${out}")
  endif()
  string(STRIP "${out}" out)
  set(output "${out}" PARENT_SCOPE)
endfunction()

set(config_args)
if(DEFINED CONFIG AND NOT CONFIG STREQUAL "")
  set(config_args --config "${CONFIG}")
endif()
run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args})

set(libdir "${prefix}/${LIBDIR}")
foreach(file "${prefix}/include/kartotek.h" "${libdir}/libkartotek.a" "${libdir}/pkgconfig/kartotek.pc")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "install consumer: ${file} was not installed")
  endif()
endforeach()
file(GLOB sonames "${libdir}/libkartotek.so.[0-9]*")
if(NOT sonames)
  message(FATAL_ERROR "install consumer: no libkartotek.so.<ABI> in ${libdir}")
endif()

set(ENV{PKG_CONFIG_PATH} "${libdir}/pkgconfig")
run("pkg-config --cflags" "${PKG_CONFIG}" --cflags kartotek)
separate_arguments(cflags UNIX_COMMAND "${output}")
run("pkg-config --libs" "${PKG_CONFIG}" --libs kartotek)
separate_arguments(libs UNIX_COMMAND "${output}")
run("pkg-config --static --libs" "${PKG_CONFIG}" --static --libs kartotek)
separate_arguments(static_libs UNIX_COMMAND "${output}")
list(REMOVE_ITEM static_libs -lkartotek)

# Shared: found through the .pc file alone.
set(shared_exe "${WORK_DIR}/consumer_shared")
run("compile (shared)" "${C_COMPILER}" -std=c11 "${SOURCE}" -o "${shared_exe}" ${cflags} ${libs}
  "-Wl,-rpath,${libdir}")
run("run (shared)" "${shared_exe}")
message(STATUS "install consumer: shared: ${output}")

# Static: the archive plus what kartotek.pc lists as private; the program
# must not need libkartotek.so at all.
set(static_exe "${WORK_DIR}/consumer_static")
run("compile (static)" "${C_COMPILER}" -std=c11 "${SOURCE}" -o "${static_exe}" ${cflags}
  "${libdir}/libkartotek.a" ${static_libs})
run("run (static)" "${static_exe}")
message(STATUS "install consumer: static: ${output}")
