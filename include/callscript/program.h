// A loaded, verified script. Immutable once made: one Program serves every session of that
// script, on any thread, without locks.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/calendar.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace callscript {

using EventId = std::uint32_t;
using SlotId = std::uint32_t;
using StateId = std::uint32_t;

class Program;

struct LoadResult {
  std::shared_ptr<const Program> program;  // null when the bytes were refused
  std::string error;                       // why they were refused
};

class Program {
 public:
  // Decodes, checksums and verifies `bytes`. Never throws and never crashes on hostile input:
  // anything malformed is refused with a message.
  static LoadResult load(std::span<const std::uint8_t> bytes);
  // The same for an image already in memory (the compiler's output, before serialisation).
  static LoadResult from_image(bc::Image image);
  // The name maps view image_'s strings, so a copy would dangle; share the shared_ptr instead.
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  const bc::Image& image() const { return image_; }
  std::string_view name() const { return image_.str(image_.script.name); }
  std::string_view title() const { return image_.str(image_.script.title); }

  // Name lookups for the host, done once (at start-up), not per event.
  std::optional<EventId> event_id(std::string_view name) const;
  std::optional<SlotId> slot_id(std::string_view name) const;
  std::optional<StateId> state_id(std::string_view name) const;

  std::size_t event_count() const { return image_.events.size(); }
  std::size_t slot_count() const { return image_.slots.size(); }
  std::size_t state_count() const { return image_.states.size(); }
  std::string_view event_name(EventId e) const { return image_.str(image_.events[e].name); }
  std::string_view event_label(EventId e) const;  // the label, or the name if it has none
  std::string_view slot_name(SlotId s) const { return image_.str(image_.slots[s].name); }
  // A slot marked `pii` holds private data: what a tool prints of it must be masked.
  bool slot_is_pii(SlotId s) const { return (image_.slots[s].flags & bc::kSlotPii) != 0; }
  std::string_view state_name(StateId s) const { return image_.str(image_.states[s].name); }

  // Where a slot's value lives in a session: text slots index the session's text storage, the
  // others its integer storage.
  std::uint32_t slot_storage(SlotId s) const { return storage_[s]; }
  std::size_t text_slot_count() const { return text_slots_; }
  std::size_t int_slot_count() const { return image_.slots.size() - text_slots_; }

  // Bound on the eventless steps one event may cause; the compiler rejects eventless cycles,
  // so an acyclic chain can visit each state at most once.
  std::size_t step_bound() const { return image_.states.size() + 1; }

  // The business calendar SLAs in business time count on; null when the script has none.
  const BusinessCalendar* calendar() const { return calendar_ ? &*calendar_ : nullptr; }
  std::size_t sla_count() const { return image_.slas.size(); }
  std::string_view sla_name(std::uint32_t s) const { return image_.str(image_.slas[s].name); }

 private:
  explicit Program(bc::Image image);
  bc::Image image_;
  std::vector<std::uint32_t> storage_;
  std::size_t text_slots_ = 0;
  std::optional<BusinessCalendar> calendar_;
  std::unordered_map<std::string_view, EventId> events_by_name_;
  std::unordered_map<std::string_view, SlotId> slots_by_name_;
  std::unordered_map<std::string_view, StateId> states_by_name_;
};

}  // namespace callscript
