# Header-only libraries the portable core may use: nlohmann-json, CLI11, toml++. On the host they come
# from their CMake packages (toml++: its include directory). For the mingw-w64 cross build, /usr/include
# cannot be on the include path (it holds glibc's headers), so the header trees are exposed through
# symlinks in the build directory instead.
add_library(mamori_header_only INTERFACE)
if(CMAKE_CROSSCOMPILING)
  set(_mamori_ho_dir "${CMAKE_BINARY_DIR}/header_only")
  file(MAKE_DIRECTORY "${_mamori_ho_dir}")
  foreach(_dir nlohmann CLI toml++)
    if(NOT EXISTS "/usr/include/${_dir}")
      message(FATAL_ERROR "/usr/include/${_dir} is missing: run scripts/setup")
    endif()
    file(CREATE_LINK "/usr/include/${_dir}" "${_mamori_ho_dir}/${_dir}" SYMBOLIC)
  endforeach()
  target_include_directories(mamori_header_only SYSTEM INTERFACE "${_mamori_ho_dir}")
else()
  find_package(nlohmann_json 3.11 REQUIRED)
  find_package(CLI11 REQUIRED)
  target_link_libraries(mamori_header_only INTERFACE nlohmann_json::nlohmann_json CLI11::CLI11)
  # Debian's tomlplusplus CMake package links its shared library (TOML_HEADER_ONLY=0); the core uses
  # toml++ header-only everywhere, as the cross build must, so only its include directory is taken.
  find_path(MAMORI_TOMLPLUSPLUS_INCLUDE_DIR toml++/toml.h REQUIRED)
  target_include_directories(mamori_header_only SYSTEM INTERFACE "${MAMORI_TOMLPLUSPLUS_INCLUDE_DIR}")
endif()
