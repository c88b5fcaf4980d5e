//! The Wasm's memory allocator: about 0.5 KB of code where std's dlmalloc is about 8 KB.
//!
//! Blocks come in size classes of powers of two, each class with a free list; new blocks are carved from
//! pages taken with `memory.grow`. A block is never split or merged: a freed block waits on its class's list
//! for the next allocation of that class. That wastes up to half of each block and never gives memory back
//! (Wasm memory cannot shrink anyway), which suits the engine: every call allocates a little (its JSON, the
//! values read from it, the answer) and frees it all before it returns, so the memory used stays near the peak
//! of one call.
//!
//! Each allocation carries a one-word header just before it with its class and its offset in the block, so
//! freeing needs nothing from the caller's `Layout` (a wrong size there cannot put a block on the wrong list).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// The size of a Wasm page, and the most a block is aligned to.
pub const PAGE: usize = 64 * 1024;
const WORD: usize = size_of::<usize>();
/// Classes 2^0 .. 2^(CLASSES - 1) bytes (the small ones are never used: a block holds at least a header and
/// a byte).
const CLASSES: usize = usize::BITS as usize;

/// Where new memory comes from.
pub trait Grow {
    /// At least `bytes` more bytes of memory: the start and end of the new region, or `None` if there is none.
    fn grow(&self, bytes: usize) -> Option<(usize, usize)>;
}

/// The allocator, over a source of memory `G`.
pub struct Heap<G> {
    state: UnsafeCell<State>,
    source: G,
}

struct State {
    /// The first free block of each class; each free block holds the address of the next in its first word.
    free: [*mut u8; CLASSES],
    /// The unused memory left at the end of the last region taken: `next..end`.
    next: usize,
    end: usize,
}

// SAFETY: only registered as the global allocator on Wasm without threads (see lib.rs), where nothing runs
// concurrently; the native tests use a heap from one thread at a time.
unsafe impl<G> Sync for Heap<G> {}

impl<G: Grow> Heap<G> {
    /// An empty heap taking its memory from `source`.
    pub const fn new(source: G) -> Heap<G> {
        Heap {
            state: UnsafeCell::new(State {
                free: [null_mut(); CLASSES],
                next: 0,
                end: 0,
            }),
            source,
        }
    }

    /// A new block of class `class` (2^class bytes), aligned to its size or to a page, whichever is less.
    fn carve(&self, state: &mut State, class: usize) -> *mut u8 {
        let size = 1usize << class;
        let align = size.min(PAGE);
        loop {
            let start = state.next.checked_add(align - 1).map(|n| n & !(align - 1));
            if let Some(start) = start
                && let Some(end) = start.checked_add(size)
                && end <= state.end
            {
                state.next = end;
                return start as *mut u8;
            }
            let Some((from, to)) = size
                .checked_add(align)
                .and_then(|bytes| self.source.grow(bytes))
            else {
                return null_mut();
            };
            // What is left of the old region is lost if the new one does not follow it.
            if from != state.end {
                state.next = from;
            }
            state.end = to;
        }
    }
}

/// The header word of an allocation: its class and the log2 of its offset in the block.
fn header(class: usize, offset: usize) -> usize {
    class | (offset.trailing_zeros() as usize) << 8
}

unsafe impl<G: Grow> GlobalAlloc for Heap<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // The allocation starts `offset` bytes into its block: room for the header, and aligned as asked as
        // long as the block is (blocks are aligned to their size, up to a page).
        let offset = layout.align().max(WORD);
        if offset >= PAGE {
            return null_mut();
        }
        let Some(size) = layout
            .size()
            .max(1)
            .checked_add(offset)
            .and_then(usize::checked_next_power_of_two)
        else {
            return null_mut();
        };
        let class = size.trailing_zeros() as usize;
        // SAFETY: single-threaded (see `Sync` above), and no reference into the state outlives this call.
        let state = unsafe { &mut *self.state.get() };
        let block = match state.free[class] {
            free if !free.is_null() => {
                // SAFETY: a free block's first word holds the next free block of its class.
                state.free[class] = unsafe { *free.cast::<*mut u8>() };
                free
            }
            _ => self.carve(state, class),
        };
        if block.is_null() {
            return null_mut();
        }
        // SAFETY: `offset < size`, so the allocation and the header before it are inside the block; the
        // header is aligned, `offset` and the block being multiples of a word.
        unsafe {
            let ptr = block.add(offset);
            ptr.sub(WORD).cast::<usize>().write(header(class, offset));
            ptr
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from `alloc`, which wrote the header; the block is then at least a word long and
        // aligned to one, so it can hold the free list's link.
        unsafe {
            let word = ptr.sub(WORD).cast::<usize>().read();
            let class = word & 0xFF;
            let block = ptr.sub(1 << (word >> 8));
            let state = &mut *self.state.get();
            block.cast::<*mut u8>().write(state.free[class]);
            state.free[class] = block;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`.
        let word = unsafe { ptr.sub(WORD).cast::<usize>().read() };
        let room = (1usize << (word & 0xFF)) - (1 << (word >> 8));
        if new_size <= room {
            return ptr;
        }
        // SAFETY: the caller guarantees `new_size` with `layout.align()` is a valid layout.
        let new =
            unsafe { self.alloc(Layout::from_size_align_unchecked(new_size, layout.align())) };
        if !new.is_null() {
            // SAFETY: both are valid for the smaller of the two sizes, and distinct blocks.
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

/// Wasm memory, grown a page at a time.
#[cfg(target_arch = "wasm32")]
pub struct WasmMemory;

#[cfg(target_arch = "wasm32")]
impl Grow for WasmMemory {
    fn grow(&self, bytes: usize) -> Option<(usize, usize)> {
        let pages = bytes.div_ceil(PAGE);
        let before = core::arch::wasm32::memory_grow(0, pages);
        if before == usize::MAX {
            return None;
        }
        Some((before * PAGE, (before + pages) * PAGE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A region of ordinary memory handed out a page-multiple at a time, like Wasm memory.
    struct Arena {
        base: usize,
        len: usize,
        used: Cell<usize>,
    }

    impl Arena {
        fn new(len: usize) -> Arena {
            let layout = Layout::from_size_align(len, PAGE).unwrap();
            // SAFETY: a non-zero size; leaked on purpose (the test heap lives as long as the test).
            let base = unsafe { std::alloc::alloc(layout) } as usize;
            assert_ne!(base, 0);
            Arena {
                base,
                len,
                used: Cell::new(0),
            }
        }
    }

    impl Grow for &Arena {
        fn grow(&self, bytes: usize) -> Option<(usize, usize)> {
            let bytes = bytes.div_ceil(PAGE) * PAGE;
            let from = self.used.get();
            if from + bytes > self.len {
                return None;
            }
            self.used.set(from + bytes);
            Some((self.base + from, self.base + from + bytes))
        }
    }

    /// A small deterministic generator, so a failure can be replayed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    struct Live {
        ptr: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn fill(live: &Live) {
        // SAFETY: the block is valid for `layout.size()` bytes.
        unsafe { std::ptr::write_bytes(live.ptr, live.fill, live.layout.size()) };
    }

    fn check(live: &Live) {
        assert_eq!(live.ptr as usize % live.layout.align(), 0, "aligned");
        // SAFETY: as in `fill`.
        let bytes = unsafe { std::slice::from_raw_parts(live.ptr, live.layout.size()) };
        assert!(
            bytes.iter().all(|&b| b == live.fill),
            "nothing else wrote into a live block"
        );
    }

    #[test]
    fn random_allocations_never_overlap_and_keep_their_contents() {
        let arena = Arena::new(1024 * PAGE);
        let heap = Heap::new(&arena);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut live: Vec<Live> = Vec::new();
        for step in 0..40_000usize {
            // Up to about 300 blocks live at once, then as many freed as allocated.
            let choice = rng.below(10);
            if live.is_empty() || (choice < 5 && live.len() < 300) {
                let size = match rng.below(4) {
                    0 => rng.below(16) + 1,
                    1 => rng.below(300) + 1,
                    2 => rng.below(5000) + 1,
                    _ => rng.below(70_000) + 1,
                };
                let align = 1 << rng.below(13);
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size.
                let ptr = unsafe { heap.alloc(layout) };
                assert!(!ptr.is_null(), "step {step}: out of memory");
                let l = Live {
                    ptr,
                    layout,
                    fill: step as u8,
                };
                fill(&l);
                live.push(l);
            } else if choice < 8 {
                let l = live.swap_remove(rng.below(live.len()));
                check(&l);
                // SAFETY: allocated by this heap with this layout.
                unsafe { heap.dealloc(l.ptr, l.layout) };
            } else {
                let i = rng.below(live.len());
                check(&live[i]);
                let new_size = rng.below(20_000) + 1;
                let old = &live[i];
                // SAFETY: allocated by this heap with this layout; a non-zero new size.
                let ptr = unsafe { heap.realloc(old.ptr, old.layout, new_size) };
                assert!(!ptr.is_null());
                let kept = old.layout.size().min(new_size);
                // SAFETY: the first `kept` bytes are valid.
                let bytes = unsafe { std::slice::from_raw_parts(ptr, kept) };
                assert!(
                    bytes.iter().all(|&b| b == old.fill),
                    "realloc keeps the contents"
                );
                let layout = Layout::from_size_align(new_size, old.layout.align()).unwrap();
                live[i] = Live {
                    ptr,
                    layout,
                    fill: step as u8,
                };
                fill(&live[i]);
            }
            if step % 1000 == 0 {
                live.iter().for_each(check);
            }
        }
        live.iter().for_each(check);
    }

    #[test]
    fn freed_blocks_are_reused_and_the_header_decides_the_class() {
        let arena = Arena::new(16 * PAGE);
        let heap = Heap::new(&arena);
        let small = Layout::from_size_align(24, 8).unwrap();
        // SAFETY: valid layouts; every pointer is freed once, by this heap.
        unsafe {
            let a = heap.alloc(small);
            heap.dealloc(a, small);
            assert_eq!(heap.alloc(small), a, "the freed block is taken again");
            // Freed with a wrong size, the block still goes back to its own class.
            heap.dealloc(a, Layout::from_size_align(4000, 8).unwrap());
            assert_eq!(heap.alloc(small), a);
            // Growing within the block keeps it; beyond, it moves.
            assert_eq!(heap.realloc(a, small, 20), a);
            let b = heap.realloc(a, small, 100);
            assert_ne!(b, a);
        }
    }

    #[test]
    fn runs_out_cleanly() {
        let arena = Arena::new(4 * PAGE);
        let heap = Heap::new(&arena);
        // SAFETY: valid layouts.
        unsafe {
            assert!(
                heap.alloc(Layout::from_size_align(10 * PAGE, 8).unwrap())
                    .is_null()
            );
            assert!(
                heap.alloc(Layout::from_size_align(8, PAGE).unwrap())
                    .is_null()
            );
            assert!(
                !heap
                    .alloc(Layout::from_size_align(PAGE, 8).unwrap())
                    .is_null()
            );
        }
    }
}
