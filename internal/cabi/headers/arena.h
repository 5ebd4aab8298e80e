// Per-request memory: a bump allocator whose first block lives inside the request state, so a
// typical request allocates nothing from the heap. Everything handed to modules comes from here
// and stays valid until the request ends (docs/design.md §9).
//
// The inline block is small (1 KiB: what a request from a plain HTTP client takes), since a
// parked request holds its state for as long as it waits. A request that needs more takes a
// block from the heap, and the first such block is kept for the state's next request, so that
// steady traffic of larger requests still allocates nothing.
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
    ~Arena() { Release(); }

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

    // The bytes Allocate can hand out before it needs another block.
    size_t Available() const { return capacity_ - used_; }

    // Whether p lies in memory this arena holds for the current request.
    bool Owns(const void *p) const
    {
        auto at = reinterpret_cast<uintptr_t>(p);
        auto within = [at](const char *base, size_t size) {
            auto start = reinterpret_cast<uintptr_t>(base);
            return at >= start && at - start < size;
        };
        if (within(inline_, sizeof(inline_))) {
            return true;
        }
        for (const Block *b = overflow_; b; b = b->next) {
            if (within(b->data, b->size)) {
                return true;
            }
        }
        return false;
    }

    // The bytes held beyond the inline block, for accounting.
    size_t OverflowBytes() const
    {
        size_t total = spare_ ? offsetof(Block, data) + spare_->size : 0;
        for (const Block *b = overflow_; b; b = b->next) {
            total += offsetof(Block, data) + b->size;
        }
        return total;
    }

    // Rewinds to the inline block: the first overflow block is kept as the spare when it is
    // no larger than kSpareMax, every other one is freed.
    void Reset()
    {
        Block *b = overflow_;
        while (b) {
            Block *next = b->next;
            if (!next && !spare_ && b->size <= kSpareMax) {
                spare_ = b; // the oldest, the first the request grew into
            } else {
                free(b);
            }
            b = next;
        }
        overflow_ = nullptr;
        current_ = inline_;
        capacity_ = sizeof(inline_);
        used_ = 0;
    }

    // Frees the spare too: the state is going away.
    void Release()
    {
        Reset();
        free(spare_);
        spare_ = nullptr;
    }

private:
    struct Block {
        Block *next;
        size_t size;
        alignas(16) char data[1];
    };

    bool Grow(size_t need)
    {
        Block *b = nullptr;
        if (spare_ && !overflow_ && spare_->size >= need) {
            b = spare_; // the request's first overflow block, kept from an earlier request
            spare_ = nullptr;
        } else {
            // Doubling stops at kMaxAllocation, so the block's size plus its header cannot wrap.
            size_t size = capacity_ < kMaxAllocation ? capacity_ * 2 : capacity_;
            if (size < need + 64) {
                size = need + 64;
            }
            b = static_cast<Block *>(malloc(offsetof(Block, data) + size));
            if (!b) {
                return false;
            }
            b->size = size;
        }
        b->next = overflow_;
        overflow_ = b;
        current_ = b->data;
        capacity_ = b->size;
        used_ = 0;
        return true;
    }

    // The largest first overflow block kept between requests.
    static constexpr size_t kSpareMax = 16 << 10;

    alignas(16) char inline_[1024]; // a plain client's request; more comes in blocks
    char *current_ = inline_;
    size_t capacity_ = sizeof(inline_);
    size_t used_ = 0;
    Block *overflow_ = nullptr;
    Block *spare_ = nullptr; // see Reset
};

} // namespace iishost
