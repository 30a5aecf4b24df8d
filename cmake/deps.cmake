# Third-party libraries as imported targets. When LIFEBOAT_STATIC is on, the
# static archives are used so the rescue app runs without /lib.

function(lifeboat_pkg target module)
  pkg_check_modules(${target} REQUIRED IMPORTED_TARGET ${module})
  if(LIFEBOAT_STATIC)
    pkg_check_modules(${target}_S REQUIRED ${module})
    add_library(lb::${target} INTERFACE IMPORTED GLOBAL)
    target_include_directories(lb::${target} INTERFACE ${${target}_S_STATIC_INCLUDE_DIRS})
    target_compile_options(lb::${target} INTERFACE ${${target}_S_STATIC_CFLAGS_OTHER})
    target_link_libraries(lb::${target} INTERFACE ${${target}_S_STATIC_LDFLAGS})
  else()
    add_library(lb::${target} ALIAS PkgConfig::${target})
  endif()
endfunction()

lifeboat_pkg(zstd libzstd)
lifeboat_pkg(zlib zlib)
lifeboat_pkg(crypto libcrypto)
lifeboat_pkg(hivex hivex)
lifeboat_pkg(ntfs3g libntfs-3g)
lifeboat_pkg(ncurses ncursesw)

# Debian ships neither a .pc for bzip2 nor one for xxhash.
foreach(lib bz2 xxhash)
  add_library(lb::${lib} INTERFACE IMPORTED GLOBAL)
  target_link_libraries(lb::${lib} INTERFACE ${lib})
endforeach()
