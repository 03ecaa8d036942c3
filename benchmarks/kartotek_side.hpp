// benchmarks/kartotek_side.hpp: loading a generated data set into a
// kartotek::Register through its public commands.
#pragma once

#include <filesystem>

#include "data_set.hpp"
#include "kartotek/register.hpp"

namespace bench {

// The first administrator, user 1: every command and read of the benchmark
// acts on his behalf.
inline constexpr kartotek::UserId kAdministrator{1};

// A register in memory with the benchmark's settings (bench_settings()).
kartotek::Register empty_register();

// load: creates the first administrator and the technicians, defines the
// custom fields of customers, then creates every customer (numbered by the
// register, then AssignTechnician), contact, link, facility, service object
// and order of `data` (a closed one then closed with CloseOrder), each
// through Register::apply — so validation, derived keys, history and the
// technicians' notifications of their orders are part of the cost. Throws if an id
// differs from the one the data set expects (the SQLite side relies on them).
void load(kartotek::Register& reg, const DataSet& data);

// A register on disk in `dir` (created), journaling with `durability`.
kartotek::Register open_register(const std::filesystem::path& dir, kartotek::Durability durability);

}  // namespace bench
