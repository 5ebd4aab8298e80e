# find_package(iishost) for IIS native modules served by iishost. Gives the INTERFACE target
# iishost::module: iishost's include/ and the compile and link flags `iishost build` uses
# (internal/modbuild, tested to agree).
#
#   find_package(iishost REQUIRED)   # -Diishost_DIR=<iishost>/packaging/cmake
#   add_library(mymodule MODULE mymodule.cpp)
#   target_link_libraries(mymodule PRIVATE iishost::module)
#
# A module library needs no "lib" prefix: set_target_properties(mymodule PROPERTIES PREFIX "").
# Modules with a .def file (exported names listed there) are built by `iishost build`, which
# turns it into a version script.

if(TARGET iishost::module)
  return()
endif()

get_filename_component(_iishost_root "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
if(NOT EXISTS "${_iishost_root}/include/httpserv.h")
  set(iishost_FOUND FALSE)
  set(iishost_NOT_FOUND_MESSAGE "no include/httpserv.h in ${_iishost_root}: iishost-config.cmake must stay in packaging/cmake of an iishost tree")
  return()
endif()

# A plain INTERFACE library, not an IMPORTED one: CMake would pass an imported target's
# include folder with -isystem, silencing the warnings -I (modbuild's) shows.
add_library(iishost_module INTERFACE)
target_include_directories(iishost_module INTERFACE "${_iishost_root}/include")
target_compile_options(iishost_module INTERFACE
  "$<$<COMPILE_LANGUAGE:CXX>:-std=c++17>" "$<$<COMPILE_LANGUAGE:C>:-std=c11>"
  -fPIC -O2 -Wall -Wextra -fvisibility=hidden)
target_link_options(iishost_module INTERFACE -shared)
add_library(iishost::module ALIAS iishost_module)
set(iishost_INCLUDE_DIR "${_iishost_root}/include")
unset(_iishost_root)
