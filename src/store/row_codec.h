// Column encodings shared by the store adapters: attachments and polygons as compact JSON text,
// decoded exactly (doubles round-trip bit for bit).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/events/event.h"
#include "core/territory/region.h"

namespace civicgrid {

// [{"type":"photo","url":"https://..."}]; "[]" when empty.
std::string EncodeAttachments(const std::vector<Attachment>& attachments);
// Accepts what EncodeAttachments writes (and any JSON array of such objects; other keys are
// ignored). An empty string reads as no attachments.
Result<std::vector<Attachment>> DecodeAttachments(std::string_view json);

// GeoJSON polygon coordinates: [[[lon,lat],...],...] (outer ring first); "[]" when empty.
std::string EncodePolygon(const Polygon& polygon);
Result<Polygon> DecodePolygon(std::string_view json);

}  // namespace civicgrid
