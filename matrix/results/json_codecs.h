#pragma once
// How one value is spelled in JSON, both ways: the codecs the field tables of json_fields.h use.
// A codec writes a member as JSON and reads it back, naming the place of a value it cannot take.
#include "matrix/results/json_fields.h"
#include "matrix/results/verdict.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace hm::json_fields {

struct Text {
    json write(const std::string& s) const { return s; }
    Status read(const Reader& rd, const json& v, const std::string& at, std::string& out) const;
};
inline constexpr Text text;

// A cell's, a voice's or a throughput cell's verdict: "pass", "fail", ...
struct VerdictWord {
    json write(Verdict v) const { return std::string(to_string(v)); }
    Status read(const Reader& rd, const json& v, const std::string& at, Verdict& out) const;
};
inline constexpr VerdictWord verdict_word;

// Floating point: any JSON number. Whole numbers: unsigned and within the member's range.
template <class N> struct Number {
    json write(N n) const { return n; }
    Status read(const Reader& rd, const json& v, const std::string& at, N& out) const {
        if constexpr (std::is_floating_point_v<N>) {
            if (!v.is_number())
                return rd.bad(at, "not a number");
        } else if (!v.is_number_unsigned() ||
                   v.get<std::uint64_t>() > std::numeric_limits<N>::max()) {
            return rd.bad(at, "not a whole number in range");
        }
        out = v.get<N>();
        return {};
    }
};
template <class N> inline constexpr Number<N> number;

// A CPU's number: an int in the structs, unsigned in the file, where a whole number must be.
struct CpuIndex {
    json write(int cpu) const { return static_cast<unsigned>(cpu); }
    Status read(const Reader& rd, const json& v, const std::string& at, int& out) const;
};
inline constexpr CpuIndex cpu_index;

// An optional member: its codec's spelling when set; left out when not (with if_set()).
template <class C> struct Maybe {
    C inner;
    template <class V> json write(const std::optional<V>& v) const { return inner.write(*v); }
    template <class V>
    Status read(const Reader& rd, const json& v, const std::string& at,
                std::optional<V>& out) const {
        V value{};
        if (auto s = inner.read(rd, v, at, value); !s)
            return s;
        out = std::move(value);
        return {};
    }
};
template <class C> constexpr Maybe<C> maybe(C inner) {
    return {inner};
}

// Reads anything but `true` as false, and never complains: the first reader was that lenient.
struct Flag {
    json write(bool b) const { return b; }
    Status read(const Reader&, const json& v, const std::string&, bool& out) const {
        out = v.is_boolean() && v.get<bool>();
        return {};
    }
};
inline constexpr Flag flag;

// An array of strings or numbers; the two problems are said as the place expects.
template <class V> struct List {
    const char* not_array;
    const char* bad_item;

    json write(const std::vector<V>& items) const { return items; }
    Status read(const Reader& rd, const json& v, const std::string& at, std::vector<V>& out) const {
        if (!v.is_array())
            return rd.bad(at, not_array);
        std::vector<V> items;
        for (const json& x : v) {
            if (!holds(x))
                return rd.bad(at, bad_item);
            items.push_back(x.get<V>());
        }
        out = std::move(items);
        return {};
    }

private:
    static bool holds(const json& x) {
        if constexpr (std::is_same_v<V, std::string>)
            return x.is_string();
        else if constexpr (std::is_floating_point_v<V>)
            return x.is_number();
        else
            return x.is_number_unsigned();
    }
};
inline constexpr List<std::string> strings{"not an array", "holds something other than strings"};

// What a reader says of a value that should be an object and is not.
enum class ObjectCheck {
    Named,        // "cells[3]: not an object"
    NamedWithDot, // "choirs[0].hooks[1].: not an object", as the first reader spelled it there
    None,         // nothing: its fields are all absent, so the first required one is "missing"
};

// A struct of its own, described by its fields.
template <class U> struct Object {
    Fields<U> fields;
    ObjectCheck check = ObjectCheck::Named;

    json write(const U& u) const { return write_fields(u, fields); }
    Status read(const Reader& rd, const json& v, const std::string& at, U& out) const {
        if (!v.is_object() && check != ObjectCheck::None)
            return rd.bad(check == ObjectCheck::Named ? at : at + ".", "not an object");
        return read_fields(rd, v, at, fields, out);
    }
};
template <class U> Object<U> object(Fields<U> fields, ObjectCheck check = ObjectCheck::Named) {
    return {std::move(fields), check};
}

// An array of such structs; element i of "cells" is "cells[i]".
template <class U> struct Objects {
    Object<U> element;

    json write(const std::vector<U>& items) const {
        json out = json::array();
        for (const U& u : items)
            out.push_back(element.write(u));
        return out;
    }
    Status read(const Reader& rd, const json& v, const std::string& at, std::vector<U>& out) const {
        if (!v.is_array())
            return rd.bad(at, "not an array");
        std::vector<U> items;
        for (std::size_t i = 0; i < v.size(); ++i) {
            U u;
            if (auto s = element.read(rd, v[i], fmt::format("{}[{}]", at, i), u); !s)
                return s;
            items.push_back(std::move(u));
        }
        out = std::move(items);
        return {};
    }
};
template <class U> Objects<U> objects(Fields<U> fields, ObjectCheck check = ObjectCheck::Named) {
    return {object(std::move(fields), check)};
}

// A nested object whose fields are members of the enclosing struct: a cell's "packets".
template <class T>
Field<T> group(std::string key, Fields<T> fields, ObjectCheck check = ObjectCheck::Named) {
    return whole<T>(std::move(key), object(std::move(fields), check));
}

} // namespace hm::json_fields
