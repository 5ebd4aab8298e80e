// Per-request memory: a bump allocator whose first block lives inside the request state, so a
// typical request allocates nothing from the heap. Everything handed to modules comes from here
// and stays valid until the request ends (docs/design.md §9).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace iishost {

class Arena {
public:
    Arena() = default;
    Arena(const Arena &) = delete;
    Arena &operator=(const Arena &) = delete;
    ~Arena() { Reset(); }

    // No single allocation may pass this: it keeps every size sum below within size_t.
    static constexpr size_t kMaxAllocation = SIZE_MAX / 4;

    // Returns size bytes aligned to 16, or nullptr when memory is exhausted. The bytes are not
    // cleared: they may hold an earlier request's data.
    void *Allocate(size_t size)
    {
        if (size > kMaxAllocation) {
            return nullptr;
        }
        size = (size + 15) & ~size_t(15);
        if (size == 0) {
            size = 16;
        }
        if (size > capacity_ - used_) {
            if (!Grow(size)) {
                return nullptr;
            }
        }
        void *p = current_ + used_;
        used_ += size;
        return p;
    }

    char *CopyString(const char *s, size_t len)
    {
        if (len >= kMaxAllocation) {
            return nullptr;
        }
        char *p = static_cast<char *>(Allocate(len + 1));
        if (p) {
            memcpy(p, s, len);
            p[len] = 0;
        }
        return p;
    }

    // Whether any memory lies beyond the inline block.
    bool Overflowed() const { return overflow_ != nullptr; }

    // The bytes held beyond the inline block, for accounting.
    size_t OverflowBytes() const
    {
        size_t total = 0;
        for (const Block *b = overflow_; b; b = b->next) {
            total += offsetof(Block, data) + b->size;
        }
        return total;
    }

    // Frees every overflow block and rewinds to the inline block.
    void Reset()
    {
        Block *b = overflow_;
        while (b) {
            Block *next = b->next;
            free(b);
            b = next;
        }
        overflow_ = nullptr;
        current_ = inline_;
        capacity_ = sizeof(inline_);
        used_ = 0;
    }

private:
    struct Block {
        Block *next;
        size_t size;
        alignas(16) char data[1];
    };

    bool Grow(size_t need)
    {
        // Doubling stops at kMaxAllocation, so the block's size plus its header cannot wrap.
        size_t size = capacity_ < kMaxAllocation ? capacity_ * 2 : capacity_;
        if (size < need + 64) {
            size = need + 64;
        }
        Block *b = static_cast<Block *>(malloc(offsetof(Block, data) + size));
        if (!b) {
            return false;
        }
        b->next = overflow_;
        b->size = size;
        overflow_ = b;
        current_ = b->data;
        capacity_ = size;
        used_ = 0;
        return true;
    }

    alignas(16) char inline_[4096]; // enough for a typical request; more comes in blocks
    char *current_ = inline_;
    size_t capacity_ = sizeof(inline_);
    size_t used_ = 0;
    Block *overflow_ = nullptr;
};

} // namespace iishost
