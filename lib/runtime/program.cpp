// A Program exists only for an image that passed the verifier; everything after this file may
// index the image's tables without checking.
#include <callscript/program.h>

#include <utility>

namespace callscript {

LoadResult Program::load(std::span<const std::uint8_t> bytes) {
  bc::Image image;
  std::string err = bc::deserialize(bytes, image);
  if (!err.empty()) return {nullptr, "bad bytecode: " + err};
  return from_image(std::move(image));
}

LoadResult Program::from_image(bc::Image image) {
  std::string err = bc::verify(image);
  if (!err.empty()) return {nullptr, "bad bytecode: " + err};
  // make_shared cannot reach the private constructor; a local class of a member function can
  // (it has the function's access), and adds no state, so the object is exactly a Program.
  struct Made : Program {
    explicit Made(bc::Image i) : Program(std::move(i)) {}
  };
  return {std::make_shared<const Made>(std::move(image)), {}};
}

Program::Program(bc::Image image) : image_(std::move(image)) {
  // The maps' keys view image_.strings: build them only after image_ has its final place. The
  // Program never moves afterwards (it lives in a shared_ptr and is not copied).
  storage_.resize(image_.slots.size());
  std::uint32_t texts = 0, ints = 0;
  for (std::size_t i = 0; i < image_.slots.size(); ++i) {
    storage_[i] = bc::is_text_type(image_.slots[i].type) ? texts++ : ints++;
  }
  text_slots_ = texts;
  if (!image_.calendar.empty()) calendar_ = BusinessCalendar::from_bytes(image_.calendar).calendar;
  for (EventId i = 0; i < image_.events.size(); ++i) events_by_name_.emplace(event_name(i), i);
  for (SlotId i = 0; i < image_.slots.size(); ++i) slots_by_name_.emplace(slot_name(i), i);
  for (StateId i = 0; i < image_.states.size(); ++i) states_by_name_.emplace(state_name(i), i);
}

namespace {
template <class Map>
std::optional<typename Map::mapped_type> find(const Map& m, std::string_view name) {
  const auto it = m.find(name);
  if (it == m.end()) return std::nullopt;
  return it->second;
}
}  // namespace

std::optional<EventId> Program::event_id(std::string_view name) const {
  return find(events_by_name_, name);
}
std::optional<SlotId> Program::slot_id(std::string_view name) const {
  return find(slots_by_name_, name);
}
std::optional<StateId> Program::state_id(std::string_view name) const {
  return find(states_by_name_, name);
}

std::string_view Program::event_label(EventId e) const {
  const bc::Event& ev = image_.events[e];
  return ev.label == bc::kNone ? image_.str(ev.name) : image_.str(ev.label);
}

}  // namespace callscript
