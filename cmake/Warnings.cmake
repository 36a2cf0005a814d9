# Warnings are errors, and every binary gets the usual Debian hardening.
# (-Wnull-dereference is left out: with g++ 12 at -O2 it fires inside
# libstdc++ and CLI11 headers, on code that is not ours.)
add_compile_options(
  -Wall -Wextra -Werror
  -Wshadow -Wformat=2 -Wformat-security -Wcast-qual
  -Wimplicit-fallthrough -Wundef -Wvla -Wmissing-declarations
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
  $<$<COMPILE_LANGUAGE:CXX>:-Woverloaded-virtual>
  -fstack-protector-strong -fstack-clash-protection -fcf-protection
  -fno-strict-aliasing
  -D_GLIBCXX_ASSERTIONS
)
add_link_options(-Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--as-needed)

if(RECOVERYD_FUZZ)
  # Coverage for libFuzzer in every library; only the fuzz targets link its main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(RECOVERYD_SANITIZE OR RECOVERYD_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
else()
  # _FORTIFY_SOURCE needs optimisation and conflicts with ASan.
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
endif()
