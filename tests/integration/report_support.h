#pragma once
// What the report tests read reports with: a file's bytes, and compat.md's table.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hm::test {

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// compat.md's table: hook -> its cells, by column head.
inline std::map<std::string, std::map<std::string, std::string>>
markdown_table(const std::string& md) {
    auto split = [](const std::string& row) {
        std::vector<std::string> out;
        std::string cur;
        for (std::size_t i = 1; i < row.size(); ++i) {
            if (row[i] == '|' && row[i - 1] != '\\') {
                out.push_back(cur.substr(cur.find_first_not_of(' ') == std::string::npos
                                             ? cur.size()
                                             : cur.find_first_not_of(' ')));
                while (!out.back().empty() && out.back().back() == ' ')
                    out.back().pop_back();
                cur.clear();
            } else {
                cur += row[i];
            }
        }
        return out;
    };
    std::map<std::string, std::map<std::string, std::string>> table;
    std::vector<std::string> heads;
    std::istringstream in(md);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("| hook |")) {
            heads = split(line);
        } else if (!heads.empty() && line.starts_with("| ") && !line.starts_with("| ---")) {
            auto cells = split(line);
            for (std::size_t i = 1; i < cells.size() && i < heads.size(); ++i)
                table[cells[0]][heads[i]] = cells[i];
        } else if (!heads.empty() && line.empty()) {
            break;
        }
    }
    return table;
}

} // namespace hm::test
