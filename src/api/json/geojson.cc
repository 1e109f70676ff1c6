#include "api/json/geojson.h"

#include <simdjson.h>

#include <algorithm>
#include <unordered_map>

#include "api/json/json_writer.h"

namespace civicgrid {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

Unexpected<Error> Malformed(std::string message, std::string field) {
  return Fail(ErrorCode::kMalformed, std::move(message), std::move(field), "invalid_geojson");
}

Result<Polygon> ReadPolygonCoordinates(element coordinates, const std::string& where) {
  array rings;
  if (coordinates.get(rings)) return Malformed(where + ": coordinates must be an array", where);
  Polygon polygon;
  for (element ring_value : rings) {
    array ring;
    if (ring_value.get(ring)) return Malformed(where + ": a ring must be an array", where);
    std::vector<GeoPoint> points;
    for (element point_value : ring) {
      array point;
      if (point_value.get(point) || point.size() < 2) {
        return Malformed(where + ": a position must be [lon, lat]", where);
      }
      double lon = 0;
      double lat = 0;
      if (point.at(0).get(lon) || point.at(1).get(lat)) {
        return Malformed(where + ": a position must hold numbers", where);
      }
      points.push_back({lon, lat});
    }
    polygon.rings.push_back(std::move(points));
  }
  return polygon;
}

Result<Polygon> ReadGeometry(element geometry, const std::string& where) {
  if (geometry.is_null()) return Polygon{};
  object g;
  if (geometry.get(g)) return Malformed(where + ": geometry must be an object or null", where);
  std::string_view type;
  if (g["type"].get(type)) return Malformed(where + ": geometry needs a type", where);
  element coordinates;
  if (g["coordinates"].get(coordinates)) {
    return Malformed(where + ": geometry needs coordinates", where);
  }
  if (type == "Polygon") return ReadPolygonCoordinates(coordinates, where);
  if (type == "MultiPolygon") {
    array polygons;
    if (coordinates.get(polygons) || polygons.size() != 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": a MultiPolygon must hold exactly one polygon", where,
                  "unsupported_geometry");
    }
    return ReadPolygonCoordinates(polygons.at(0).value(), where);
  }
  return Fail(ErrorCode::kInvalidArgument,
              where + ": geometry must be a Polygon, not " + std::string(type), where,
              "unsupported_geometry");
}

void WriteCoordinates(JsonWriter& w, const Polygon& polygon) {
  w.StartArray();
  for (const auto& ring : polygon.rings) {
    w.StartArray();
    for (const auto& p : ring) w.StartArray().Double(p.lon).Double(p.lat).EndArray();
    w.EndArray();
  }
  w.EndArray();
}

}  // namespace

Result<std::vector<RegionDraft>> DecodeRegionFeatures(std::string_view geojson) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(geojson.data(), geojson.size()).get(root)) {
    return Malformed("the file is not valid JSON", "");
  }
  object collection;
  std::string_view type;
  if (root.get(collection) || collection["type"].get(type) || type != "FeatureCollection") {
    return Malformed("expected a GeoJSON FeatureCollection", "type");
  }
  array features;
  if (collection["features"].get(features)) {
    return Malformed("the FeatureCollection needs a features array", "features");
  }
  std::vector<RegionDraft> out;
  std::size_t index = 0;
  for (element feature_value : features) {
    const std::string where = "features[" + std::to_string(index++) + "]";
    object feature;
    object properties;
    if (feature_value.get(feature) || feature["properties"].get(properties)) {
      return Malformed(where + ": a Feature needs properties", where);
    }
    RegionDraft d;
    std::string_view code, name, level, parent;
    if (properties["code"].get(code))
      return Malformed(where + ": properties.code is required", where);
    const std::string named = where + " (" + std::string(code) + ")";
    if (properties["name"].get(name)) {
      return Malformed(named + ": properties.name is required", std::string(code));
    }
    d.code = std::string(code);
    d.name = std::string(name);
    if (!properties["level"].get(level)) {
      d.level = RegionLevelFromName(level);
      if (!d.level) {
        return Fail(ErrorCode::kInvalidArgument,
                    named + ": level must be city, district, street, community or grid", d.code,
                    "invalid_level");
      }
    }
    if (element parent_value; !properties["parent_code"].get(parent_value)) {
      if (parent_value.is_null()) {
        d.parent_code = std::string();  // explicitly the root
      } else if (parent_value.get(parent)) {
        return Malformed(named + ": properties.parent_code must be a string or null", d.code);
      } else {
        d.parent_code = std::string(parent);
      }
    }
    element geometry;
    if (feature["geometry"].get(geometry)) {
      return Malformed(named + ": a Feature needs a geometry (or null)", d.code);
    }
    auto polygon = ReadGeometry(geometry, d.code);
    if (!polygon) {
      Error e = polygon.error();
      e.message = named + ": " + e.message.substr(e.message.find(':') + 2);
      return Fail(e);
    }
    d.polygon = std::move(*polygon);
    out.push_back(std::move(d));
  }
  return out;
}

Result<Polygon> DecodePolygonGeometry(std::string_view geojson) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(geojson.data(), geojson.size()).get(root)) {
    return Malformed("polygon is not valid JSON", "polygon");
  }
  auto polygon = ReadGeometry(root, "polygon");
  if (polygon && polygon->rings.empty()) return Malformed("polygon is required", "polygon");
  return polygon;
}

std::string EncodeRegionFeatures(const std::vector<Region>& regions) {
  std::unordered_map<RegionId, const Region*> by_id;
  for (const Region& r : regions) by_id[r.id] = &r;
  std::vector<const Region*> ordered;
  for (const Region& r : regions) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Region* a, const Region* b) {
    return static_cast<int>(a->level) < static_cast<int>(b->level);
  });
  JsonWriter w;
  w.StartObject().Field("type", "FeatureCollection").Key("features").StartArray();
  for (const Region* r : ordered) {
    w.StartObject().Field("type", "Feature");
    w.Key("properties").StartObject();
    w.Field("id", r->id).Field("code", r->code).Field("name", r->name);
    w.Field("level", RegionLevelName(r->level));
    auto parent = by_id.find(r->parent_id);
    if (parent != by_id.end()) {
      w.Field("parent_code", parent->second->code);
    } else {
      w.Key("parent_code").Null();
    }
    w.EndObject();
    w.Key("geometry");
    if (r->polygon.rings.empty()) {
      w.Null();
    } else {
      w.StartObject().Field("type", "Polygon").Key("coordinates");
      WriteCoordinates(w, r->polygon);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace civicgrid
