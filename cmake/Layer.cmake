# hm_layer(NAME FOLDER [HEADERS_ONLY] [DEPENDS target...] [PRIVATE target...])
# One folder, one library: every FOLDER/*.cpp (HEADERS_ONLY: none; an executable compiles them). The folder's headers are reachable only through
# the library: each is linked into build/layers/NAME/FOLDER/, and that tree is the library's one
# public include directory. A file can therefore include a header only when its own library
# links the library that owns the header, directly or through the floors below, so an include
# that runs back up a floor (or sideways to a sibling) fails to compile, and the layering of
# docs/architecture.md is checked by the build rather than by reading. tests/layering proves it.
function(hm_layer name folder)
    cmake_parse_arguments(ARG "HEADERS_ONLY" "" "DEPENDS;PRIVATE" ${ARGN})
    set(root ${CMAKE_BINARY_DIR}/layers/${name})
    file(REMOVE_RECURSE ${root})
    file(MAKE_DIRECTORY ${root}/${folder})
    file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.h)
    foreach(header IN LISTS headers)
        get_filename_component(leaf ${header} NAME)
        file(CREATE_LINK ${header} ${root}/${folder}/${leaf} SYMBOLIC)
    endforeach()
    set(sources "")
    if(NOT ARG_HEADERS_ONLY)
        file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.cpp)
    endif()
    if(sources)
        add_library(${name} STATIC ${sources})
        target_include_directories(${name} PUBLIC ${root})
        target_link_libraries(${name} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE})
    else()
        add_library(${name} INTERFACE)
        target_include_directories(${name} INTERFACE ${root})
        target_link_libraries(${name} INTERFACE ${ARG_DEPENDS})
    endif()
    set_property(GLOBAL APPEND PROPERTY HM_LAYERS ${name})
endfunction()
