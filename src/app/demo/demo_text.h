// Text for the demo city: Chinese personal names, mobile numbers, and titles and descriptions
// filled in from the category templates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/demo/demo_random.h"

namespace civicgrid {

// A full name: a surname weighted by frequency and a one- or two-character given name.
std::string DemoPersonName(DemoRng& rng);
// "王先生" / "李女士", as callers often give themselves on the hotline.
std::string DemoPolitePerson(DemoRng& rng);
// An 11-digit mainland mobile number.
std::string DemoMobile(DemoRng& rng);

// Splits a '|'-separated template list.
std::vector<std::string_view> SplitTemplates(std::string_view list);

// The places a template may mention.
struct DemoPlace {
  std::string_view compound;  // {X}
  std::string_view road;      // {R}
  std::string_view cross;     // {S}
  int number = 1;             // {N}: 号
  int building = 1;           // {L}: 号楼
  int unit = 1;               // {U}: 单元
};

// Appends `tmpl` with its placeholders filled ({D} draws a duration phrase from `rng`).
void AppendFilled(std::string& out, std::string_view tmpl, const DemoPlace& place, DemoRng& rng);

}  // namespace civicgrid
