# python/tests.cmake: the ctest entries of the Python package (included by
# python/CMakeLists.txt when KARTOTEK_BUILD_TESTS is on). Each runs against
# the package staged in the build tree.

set(kartotek_python_env
  "PYTHONPATH=${KARTOTEK_PYTHON_STAGE}"
  "PYTHONDONTWRITEBYTECODE=1"
  "PYTHONUTF8=1")

# The pytest suite: the whole API, its errors, threads, the examples of
# docs/python.md and the hypothesis property tests.
add_test(NAME "python: pytest"
  COMMAND "${Python_EXECUTABLE}" -m pytest "${PROJECT_SOURCE_DIR}/tests/python"
    -q -p no:cacheprovider
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties("python: pytest" PROPERTIES
  ENVIRONMENT "${kartotek_python_env}" LABELS "python" TIMEOUT 300)

# mypy --strict over the package and the examples of docs/python.md, and
# stubtest of the stubs against the built extension.
add_test(NAME "python: mypy"
  COMMAND "${Python_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tests/python/check_types.py"
    --stage "${KARTOTEK_PYTHON_STAGE}"
    --work-dir "${CMAKE_CURRENT_BINARY_DIR}/mypy"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
set_tests_properties("python: mypy" PROPERTIES
  ENVIRONMENT "${kartotek_python_env}" LABELS "python" TIMEOUT 300)

# `pip wheel` + `pip install` of the repository into a throwaway virtual
# environment, then a smoke test there. It builds the whole library again, at
# -O0: about 2 minutes on 2 cores the first time; the build directory persists
# under the test's work dir, so later runs take seconds. Label "pip" selects
# (-L pip) or skips (-LE pip) it alone.
add_test(NAME "python: pip install"
  COMMAND "${Python_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tests/python/check_install.py"
    --source "${PROJECT_SOURCE_DIR}"
    --work-dir "${CMAKE_CURRENT_BINARY_DIR}/pip-install"
    --unoptimized)
set_tests_properties("python: pip install" PROPERTIES
  LABELS "python;install;pip" TIMEOUT 1200)
