// GeoJSON (RFC 7946) for the region tree: a FeatureCollection of Features whose properties hold
// code, name, level (city|district|street|community|grid) and parent_code, and whose geometry is
// a Polygon (or null above grid level). A MultiPolygon with one polygon is accepted too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/territory/region.h"
#include "core/territory/territory_service.h"

namespace civicgrid {

// The drafts of a FeatureCollection, in order. Errors are kMalformed (not GeoJSON, a wrong type)
// or kInvalidArgument (an unknown level), naming the feature ("features[3]" or its code).
Result<std::vector<RegionDraft>> DecodeRegionFeatures(std::string_view geojson);
// A Polygon geometry object ({"type":"Polygon","coordinates":[...]}) on its own.
Result<Polygon> DecodePolygonGeometry(std::string_view geojson);
// The regions as a FeatureCollection (parents before children; ids as properties too).
std::string EncodeRegionFeatures(const std::vector<Region>& regions);

}  // namespace civicgrid
