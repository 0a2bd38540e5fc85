# GoogleTest for every build. The host uses Debian's packaged libraries; the mingw-w64 cross build compiles
# Debian's googletest sources (/usr/src/googletest) with the cross compiler, so the same parser tests run
# under Wine.
include(GoogleTest)
if(CMAKE_CROSSCOMPILING)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(gtest_disable_pthreads OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  # googletest 1.11+ defines the GTest:: aliases itself; older sources do not.
  if(NOT TARGET GTest::gtest_main)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
  if(NOT TARGET GTest::gmock)
    add_library(GTest::gmock ALIAS gmock)
  endif()
else()
  find_package(GTest REQUIRED)
endif()

# mamori_add_test(NAME name SOURCES a.cc b.cc LIBS lib... [LABELS l...])
# One test executable; its GoogleTest cases are registered with CTest one by one.
function(mamori_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main mamori_build_options)
  set(_props "")
  if(ARG_LABELS)
    set(_props PROPERTIES LABELS "${ARG_LABELS}")
  endif()
  if(CMAKE_CROSSCOMPILING)
    # Listing tests under Wine at build time is slow and brittle: register the whole executable once.
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    if(ARG_LABELS)
      set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
  else()
    gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 ${_props})
  endif()
endfunction()
