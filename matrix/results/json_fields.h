#pragma once
// A struct's JSON fields described once, as a table, and the one loop that writes and the one that
// reads every such table. A key is spelled in one row, so the writer and the reader cannot drift
// apart; a row says where the value lives, how it is spelled (a codec, json_codecs.h), when it is
// left out, and what a reader makes of its absence.
#include "core/error.h"

#include <nlohmann/json.hpp>

#include <cassert>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hm::json_fields {

using json = nlohmann::ordered_json;

// Every problem names the input and the place in it: "results.json: cells[3].verdict: ...".
class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}
    std::unexpected<Error> bad(const std::string& where, const std::string& what) const {
        return fail(source_ + ": " + where + ": " + what);
    }

private:
    std::string source_;
};

// "run" and "cpu" give "run.cpu"; at the top level the key alone.
inline std::string path_to(const std::string& at, std::string_view key) {
    return at.empty() ? std::string(key) : at + "." + std::string(key);
}

// What a reader makes of a field's absence.
enum class OnRead {
    Required,          // an error
    Optional,          // the member keeps its default
    RequiredIfWritten, // an error when the fields read before it say it would have been written
    Ignored,           // never read: derived figures for people, which a reader recomputes
};

template <class M>
concept Settable = requires(const M& m) { m.empty(); } || requires(const M& m) { m.has_value(); } ||
                   requires(const M& m) { m != M{}; };

// Whether a member holds anything worth writing: not empty, not zero, not nullopt, not false.
template <Settable M> bool is_set(const M& m) {
    if constexpr (requires { m.empty(); })
        return !m.empty();
    else if constexpr (requires { m.has_value(); })
        return m.has_value();
    else
        return m != M{};
}

template <class T> struct Field {
    using Write = std::function<json(const T&)>;
    using Read =
        std::function<Status(const Reader&, const json& value, const std::string& at, T& into)>;
    using Test = std::function<bool(const T&)>;

    // Empty: the written value is an object whose keys go straight into the enclosing object.
    std::string key;
    Write write;
    Read read;    // none when the field is only written
    Test holds;   // whether its member is set, for if_set(); none when that has no meaning
    Test written; // none: always written
    OnRead on_read = OnRead::Required;
    bool late = false;
    std::string missing = "missing";
    std::function<void(T&)> after;

    // Written only when its member is set; a reader takes its absence for the default.
    Field if_set() && {
        assert(holds && "a member that cannot say whether it is set wants written_if()");
        written = holds;
        return std::move(*this).optional();
    }
    Field written_if(Test when) && {
        written = std::move(when);
        return std::move(*this).optional();
    }
    // Always written, but files of an older hookmatrix lack it.
    Field defaulted() && { return std::move(*this).optional(); }
    Field required_if_written() && {
        on_read = OnRead::RequiredIfWritten;
        return std::move(*this);
    }
    Field written_only() && {
        on_read = OnRead::Ignored;
        return std::move(*this);
    }
    // Read after the fields not so marked, each group in table order. The first reader checked
    // fields in an order of its own; a file with several problems still names the same one.
    Field read_late() && {
        late = true;
        return std::move(*this);
    }
    Field after_read(std::function<void(T&)> then) && {
        after = std::move(then);
        return std::move(*this);
    }
    Field missing_says(std::string what) && {
        missing = std::move(what);
        return std::move(*this);
    }

private:
    Field optional() && {
        if (on_read == OnRead::Required)
            on_read = OnRead::Optional;
        return std::move(*this);
    }
};

template <class T> using Fields = std::vector<Field<T>>;

// Rows that several tables share, then a table's own.
template <class T> Fields<T> concat(Fields<T> shared, const Fields<T>& own) {
    shared.insert(shared.end(), own.begin(), own.end());
    return shared;
}

// A field held by one member. A codec has write(const M&) -> json and
// read(const Reader&, const json& value, const std::string& at, M& into) -> Status.
template <class T, class M, class Codec>
Field<T> field(std::string key, M T::*member, Codec codec) {
    Field<T> f{.key = std::move(key)};
    f.write = [member, codec](const T& t) { return codec.write(t.*member); };
    f.read = [member, codec](const Reader& rd, const json& v, const std::string& at, T& t) {
        return codec.read(rd, v, at, t.*member);
    };
    if constexpr (Settable<M>)
        f.holds = [member](const T& t) { return is_set(t.*member); };
    return f;
}

// A field spelled from the whole struct: the document's schema, a nested object of its members.
template <class T, class Codec> Field<T> whole(std::string key, Codec codec) {
    Field<T> f{.key = std::move(key)};
    f.write = [codec](const T& t) { return codec.write(t); };
    f.read = [codec](const Reader& rd, const json& v, const std::string& at, T& t) {
        return codec.read(rd, v, at, t);
    };
    return f;
}

// A figure computed from other fields, written for people and never read.
template <class T> Field<T> derived(std::string key, typename Field<T>::Write compute) {
    return Field<T>{.key = std::move(key), .write = std::move(compute), .on_read = OnRead::Ignored};
}

template <class T> json write_fields(const T& t, const Fields<T>& fields) {
    json obj = json::object();
    for (const Field<T>& f : fields) {
        if (f.written && !f.written(t))
            continue;
        json value = f.write(t);
        if (!f.key.empty()) {
            obj[f.key] = std::move(value);
            continue;
        }
        for (auto it = value.begin(); it != value.end(); ++it)
            obj[it.key()] = std::move(it.value());
    }
    return obj;
}

// `obj` need not be an object: then every field is absent, and the first required one is missing.
template <class T>
Status read_field(const Reader& rd, const json& obj, const std::string& at, const Field<T>& f,
                  T& into) {
    if (f.key.empty())
        return f.read(rd, obj, at, into);
    const auto it = obj.find(f.key);
    if (it == obj.end()) {
        const bool required =
            f.on_read == OnRead::Required ||
            (f.on_read == OnRead::RequiredIfWritten && (!f.written || f.written(into)));
        if (required)
            return rd.bad(path_to(at, f.key), f.missing);
        return {};
    }
    if (auto s = f.read(rd, *it, path_to(at, f.key), into); !s)
        return s;
    if (f.after)
        f.after(into);
    return {};
}

template <class T>
Status read_fields(const Reader& rd, const json& obj, const std::string& at,
                   const Fields<T>& fields, T& into) {
    for (const bool late : {false, true})
        for (const Field<T>& f : fields) {
            if (f.late != late || f.on_read == OnRead::Ignored)
                continue;
            if (auto s = read_field(rd, obj, at, f, into); !s)
                return s;
        }
    return {};
}

} // namespace hm::json_fields
