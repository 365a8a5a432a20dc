#pragma once
// What a harness lets through: the exceptions `hookmatrix` turns into "bad input" (exit 2) at a
// subcommand's top (cli/main.cpp run_guarded). Anything else escaping, or any crash, sanitizer
// report or hang, is a finding.
#include <nlohmann/json.hpp>
#include <yaml-cpp/exceptions.h>

#include <new>
#include <stdexcept>

namespace hm::fuzz {

template <class F> void as_the_cli_would(F&& body) {
    try {
        body();
    } catch (const nlohmann::json::exception&) {
    } catch (const YAML::Exception&) {
    } catch (const std::length_error&) {
    } catch (const std::out_of_range&) {
    }
}

} // namespace hm::fuzz
