#pragma once
/// Everything a program needs to run a study with an in-process objective.
#include "h5tune/command.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"
#include "h5tune/strategy.hpp"
#include "h5tune/study.hpp"
#include "h5tune/trial.hpp"
#include "h5tune/version.hpp"
