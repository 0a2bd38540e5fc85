# libFuzzer targets for the pure parsers (MAMORI_FUZZ=ON, clang only: the `fuzz` preset). Everything of
# ours is instrumented for coverage and checked by ASan + UBSan through the mamori_sanitizers INTERFACE
# target; only the fuzzer executables link libFuzzer's main. No global flags.
option(MAMORI_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

if(MAMORI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MAMORI_FUZZ needs clang++ (libFuzzer): use the fuzz preset")
  endif()
  target_compile_options(mamori_sanitizers INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(mamori_sanitizers INTERFACE -fsanitize=address,undefined)
  enable_testing()
endif()

# mamori_add_fuzzer(NAME name SOURCES a.cc LIBS lib...)
# One libFuzzer executable, plus a short CTest run of it: the seed corpus in tests/fuzz/corpus/<name>
# and a few thousand mutations. New inputs go to a directory in the build tree, never into the source
# tree; crashes are written next to it.
function(mamori_add_fuzzer)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} mamori_build_options)
  target_compile_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  set(_work "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}.work")
  file(MAKE_DIRECTORY "${_work}/new-inputs" "${_work}/artifacts")
  add_test(NAME ${ARG_NAME}
    COMMAND ${ARG_NAME} -runs=10000 -max_len=8192 -max_total_time=20
            -artifact_prefix=${_work}/artifacts/
            "${_work}/new-inputs" "${CMAKE_CURRENT_SOURCE_DIR}/corpus/${ARG_NAME}")
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS fuzz TIMEOUT 60)
endfunction()
