// kartotek/kartotek.hpp: the whole public C++ API.
#pragma once

#include "kartotek/clock.hpp"
#include "kartotek/commands.hpp"
#include "kartotek/contact.hpp"
#include "kartotek/customer.hpp"
#include "kartotek/describe.hpp"
#include "kartotek/error.hpp"
#include "kartotek/facility.hpp"
#include "kartotek/history.hpp"
#include "kartotek/ids.hpp"
#include "kartotek/query.hpp"
#include "kartotek/register.hpp"
#include "kartotek/settings.hpp"
#include "kartotek/text.hpp"
#include "kartotek/user.hpp"
#include "kartotek/value.hpp"
#include "kartotek/version.hpp"
