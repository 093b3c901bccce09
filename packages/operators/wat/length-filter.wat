;; length-filter: a `filter` operator (wasm-graph:processor/filter@1.1.0)
;; written by hand in WebAssembly text, with the canonical ABI done by hand
;; (no bindings generator). World: length-filter.wit. Built into a component
;; by src/build-wat.ts (parse -> componentEmbed -> componentNew).
;;
;; Behaviour
;;   init(configuration): property `max_length` = a decimal u32 (digits only,
;;     no sign or blanks); absent -> 16; empty, non-digit or > 4294967295 ->
;;     init returns false. If the key repeats, the last valid value counts and
;;     any invalid one makes init fail. Other properties are ignored.
;;   process(message): ok(true) iff the message payload is at most max_length
;;     bytes, ok(false) otherwise; err("length-filter: not a message") for
;;     snapshot and buffer-or-bytes inputs.
;;   Every process call reads wasi:clocks/monotonic-clock.now (the WASI import)
;;     and counts it; if the clock ever went backwards the call returns
;;     err("length-filter: monotonic clock went backwards").
;;
;; Payload passing: both forms work. Inline bytes give the length directly.
;; An own<buffer> payload is read with [method]buffer.read (the only way the
;; WIT offers to learn its length) and then dropped. Every other own<buffer>
;; handle the argument may hold (node-id, topic, content-type, user
;; properties, schema, snapshot format/frame, a bare buffer) is dropped too,
;; so the host never keeps buffers alive for this guest.
;;
;; Memory layout
;;   16..28   return area of process: result<bool, error>
;;            (+0 discriminant u8, +4 bool u8 | error.message ptr, +8 len)
;;   32..40   return area for [method]buffer.read: list<u8> (ptr, len)
;;   64..     static strings
;;   1024..   bump heap used by cabi_realloc. It is reset at the END of each
;;            export call, not at the start: the host allocates the call's
;;            arguments with cabi_realloc before entering the export, and
;;            nothing the export returns lives on the heap (results use the
;;            static return area and static strings).
;;
;; Canonical ABI offsets used below (data-model: discriminant u8, payload at
;; +8 because message/snapshot contain u64 fields):
;;   buffer-or-bytes / buffer-or-string: +0 case u8 (0 = buffer, 1 = inline),
;;     +4 handle | ptr, +8 len; size 12.
;;   timestamp: +0 secs u64, +8 nanos u32, +16 counter u64, +24 node-id; size 40.
;;   message: +0 timestamp, +40 topic, +52 option<content-type> (+56 value),
;;     +68 payload, +80 user-properties ptr, +84 len (tuple size 24),
;;     +88 option<message-schema> (+92 value: +0 case, +4 registry-reference |
;;     inline name, +16 inline content).
;;   snapshot: +0 timestamp, +40 format, +52 width, +56 height, +60 frame.
;;   module-configuration (flat params): properties ptr, len (tuple<string,
;;     string> size 16: key ptr, key len, value ptr, value len), then
;;     module-schemas ptr, len.
(module
  (import "wasi:clocks/monotonic-clock@0.2.0" "now" (func $now (result i64)))
  (import "wasm-graph:processor/types@1.1.0" "[method]buffer.read" (func $buffer_read (param i32 i32)))
  (import "wasm-graph:processor/types@1.1.0" "[resource-drop]buffer" (func $buffer_drop (param i32)))

  (memory (export "memory") 1)

  (global $heap_base i32 (i32.const 1024))
  (global $heap (mut i32) (i32.const 1024))
  (global $max_length (mut i32) (i32.const 16))
  ;; Process calls seen and the clock reading of the last one (from WASI).
  (global $calls (mut i64) (i64.const 0))
  (global $last_now (mut i64) (i64.const 0))

  (data (i32.const 64) "max_length")
  (data (i32.const 80) "length-filter: not a message")
  (data (i32.const 112) "length-filter: monotonic clock went backwards")

  ;; Bump allocator: aligns, grows memory when needed, traps when it cannot.
  ;; A realloc (old != 0) copies the old bytes into the new block.
  (func $cabi_realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $ptr i64) (local $end i64) (local $pages i64)
    (local.set $ptr
      (i64.and
        (i64.add (i64.extend_i32_u (global.get $heap)) (i64.extend_i32_u (i32.sub (local.get $align) (i32.const 1))))
        (i64.xor (i64.extend_i32_u (i32.sub (local.get $align) (i32.const 1))) (i64.const -1))))
    (local.set $end (i64.add (local.get $ptr) (i64.extend_i32_u (local.get $new_size))))
    (if (i64.gt_u (local.get $end) (i64.const 0x100000000)) (then unreachable))
    (local.set $pages (i64.shr_u (i64.add (local.get $end) (i64.const 0xffff)) (i64.const 16)))
    (if (i64.gt_u (local.get $pages) (i64.extend_i32_u (memory.size)))
      (then
        (if (i32.eq
              (memory.grow (i32.wrap_i64 (i64.sub (local.get $pages) (i64.extend_i32_u (memory.size)))))
              (i32.const -1))
          (then unreachable))))
    (global.set $heap (i32.wrap_i64 (local.get $end)))
    (if (local.get $old)
      (then
        (memory.copy
          (i32.wrap_i64 (local.get $ptr))
          (local.get $old)
          (select (local.get $old_size) (local.get $new_size) (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (i32.wrap_i64 (local.get $ptr)))

  (func $reset
    (global.set $heap (global.get $heap_base)))

  (func $bytes_eq (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $a_len) (local.get $b_len)) (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $a_len)))
        (if (i32.ne
              (i32.load8_u (i32.add (local.get $a) (local.get $i)))
              (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; A decimal u32 (ASCII digits only), or -1 when the text is not one.
  (func $parse_u32 (param $p i32) (param $len i32) (result i64)
    (local $i i32) (local $digit i32) (local $value i64)
    (if (i32.eqz (local.get $len)) (then (return (i64.const -1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $digit (i32.sub (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 48)))
        (if (i32.gt_u (local.get $digit) (i32.const 9)) (then (return (i64.const -1))))
        (local.set $value (i64.add (i64.mul (local.get $value) (i64.const 10)) (i64.extend_i32_u (local.get $digit))))
        (if (i64.gt_u (local.get $value) (i64.const 0xffffffff)) (then (return (i64.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $value))

  ;; Drops the handle of a buffer-or-bytes / buffer-or-string holding a buffer.
  (func $drop_blob (param $at i32)
    (if (i32.eqz (i32.load8_u (local.get $at)))
      (then (call $buffer_drop (i32.load offset=4 (local.get $at))))))

  ;; Length of a buffer-or-bytes; a buffer is read, then dropped.
  (func $blob_length (param $at i32) (result i32)
    (local $handle i32)
    (if (i32.load8_u (local.get $at))
      (then (return (i32.load offset=8 (local.get $at)))))
    (local.set $handle (i32.load offset=4 (local.get $at)))
    (call $buffer_read (local.get $handle) (i32.const 32))
    (call $buffer_drop (local.get $handle))
    (i32.load (i32.const 36)))

  ;; Drops every buffer handle of a message except its payload.
  (func $drop_message_handles (param $m i32)
    (local $p i32) (local $end i32) (local $schema i32)
    (call $drop_blob (i32.add (local.get $m) (i32.const 24)))
    (call $drop_blob (i32.add (local.get $m) (i32.const 40)))
    (if (i32.load8_u offset=52 (local.get $m))
      (then (call $drop_blob (i32.add (local.get $m) (i32.const 56)))))
    (local.set $p (i32.load offset=80 (local.get $m)))
    (local.set $end (i32.add (local.get $p) (i32.mul (i32.load offset=84 (local.get $m)) (i32.const 24))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (call $drop_blob (local.get $p))
        (call $drop_blob (i32.add (local.get $p) (i32.const 12)))
        (local.set $p (i32.add (local.get $p) (i32.const 24)))
        (br $next)))
    (if (i32.load8_u offset=88 (local.get $m))
      (then
        (local.set $schema (i32.add (local.get $m) (i32.const 92)))
        (call $drop_blob (i32.add (local.get $schema) (i32.const 4)))
        (if (i32.load8_u (local.get $schema))
          (then (call $drop_blob (i32.add (local.get $schema) (i32.const 16))))))))

  ;; Drops every buffer handle of a data-model that is not a message.
  (func $drop_other_handles (param $dm i32)
    (local $v i32)
    (local.set $v (i32.add (local.get $dm) (i32.const 8)))
    (if (i32.eqz (i32.load8_u (local.get $dm)))
      (then
        (call $drop_blob (local.get $v))
        (return)))
    ;; snapshot
    (call $drop_blob (i32.add (local.get $v) (i32.const 24)))
    (call $drop_blob (i32.add (local.get $v) (i32.const 40)))
    (call $drop_blob (i32.add (local.get $v) (i32.const 60))))

  (func (export "wasm-graph:processor/filter@1.1.0#init")
    (param $props i32) (param $props_len i32) (param $schemas i32) (param $schemas_len i32) (result i32)
    (local $i i32) (local $entry i32) (local $value i64) (local $ok i32)
    (global.set $max_length (i32.const 16))
    (local.set $ok (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $props_len)))
        (local.set $entry (i32.add (local.get $props) (i32.shl (local.get $i) (i32.const 4))))
        (if (call $bytes_eq
              (i32.load (local.get $entry)) (i32.load offset=4 (local.get $entry))
              (i32.const 64) (i32.const 10))
          (then
            (local.set $value (call $parse_u32 (i32.load offset=8 (local.get $entry)) (i32.load offset=12 (local.get $entry))))
            (if (i64.lt_s (local.get $value) (i64.const 0))
              (then (local.set $ok (i32.const 0)))
              (else (global.set $max_length (i32.wrap_i64 (local.get $value)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $reset)
    (local.get $ok))

  (func (export "wasm-graph:processor/filter@1.1.0#process") (param $dm i32) (result i32)
    (local $now i64) (local $backwards i32) (local $m i32) (local $length i32)
    ;; The WASI import, on every call.
    (local.set $now (call $now))
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (local.set $backwards (i64.lt_u (local.get $now) (global.get $last_now)))
    (global.set $last_now (local.get $now))
    (if (i32.ne (i32.load8_u (local.get $dm)) (i32.const 1))
      (then
        (call $drop_other_handles (local.get $dm))
        (i32.store8 (i32.const 16) (i32.const 1))
        (i32.store (i32.const 20) (i32.const 80))
        (i32.store (i32.const 24) (i32.const 28))
        (call $reset)
        (return (i32.const 16))))
    (local.set $m (i32.add (local.get $dm) (i32.const 8)))
    (call $drop_message_handles (local.get $m))
    (local.set $length (call $blob_length (i32.add (local.get $m) (i32.const 68))))
    (if (local.get $backwards)
      (then
        (i32.store8 (i32.const 16) (i32.const 1))
        (i32.store (i32.const 20) (i32.const 112))
        (i32.store (i32.const 24) (i32.const 45)))
      (else
        (i32.store8 (i32.const 16) (i32.const 0))
        (i32.store8 (i32.const 20) (i32.le_u (local.get $length) (global.get $max_length)))))
    (call $reset)
    (i32.const 16))
)
