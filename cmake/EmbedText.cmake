# embed_text(INPUT OUTPUT SYMBOL): a header with `inline constexpr const char* SYMBOL` holding the
# file's text, so the binary carries it (the default spec) and no install path is needed.
function(embed_text INPUT OUTPUT SYMBOL)
    add_custom_command(
        OUTPUT ${OUTPUT}
        COMMAND ${CMAKE_COMMAND} -DINPUT=${INPUT} -DOUTPUT=${OUTPUT} -DSYMBOL=${SYMBOL}
                -P ${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake
        DEPENDS ${INPUT} ${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake
        COMMENT "embed ${INPUT}"
        VERBATIM)
endfunction()
