# Compiler settings for mamori's own code, as INTERFACE targets linked PRIVATE: nothing here leaks into
# third-party code or global flags.
add_library(mamori_build_options INTERFACE)
if(MSVC)
  # The windows-msvc preset (a Windows build machine; not verified on this project's CI, see
  # docs/windows.md): the same intent, in cl's words. /utf-8: our sources hold Japanese text.
  target_compile_options(mamori_build_options INTERFACE
    /W4 /WX /permissive- /utf-8 /EHsc /Zc:__cplusplus)
else()
  target_compile_options(mamori_build_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wimplicit-fallthrough -Werror)
endif()

# Sanitizers apply to everything of ours, generated code included.
add_library(mamori_sanitizers INTERFACE)
if(MAMORI_SANITIZE)
  target_compile_options(mamori_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(mamori_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
target_link_libraries(mamori_build_options INTERFACE mamori_sanitizers)
if(WIN32)
  # Windows 10 is the oldest supported target; Unicode Win32 APIs everywhere.
  target_compile_definitions(mamori_build_options INTERFACE
    _WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE WIN32_LEAN_AND_MEAN NOMINMAX)
  if(NOT MSVC)
    # One self-contained .exe: no libstdc++/winpthread DLLs to ship or to find under Wine (MSVC
    # gets the same from the static runtime the windows-msvc preset selects).
    target_link_options(mamori_build_options INTERFACE -static)
  endif()
endif()

# Generated code (protoc output) is ours to compile but not ours to fix: warnings stay warnings there.
add_library(mamori_generated_options INTERFACE)
target_link_libraries(mamori_generated_options INTERFACE mamori_sanitizers)
