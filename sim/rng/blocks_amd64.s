#include "textflag.h"

// One Philox4x32 round on eight lanes (the low 32 bits of each quadword):
// p0 = M0·c0, p1 = M1·c2 (64-bit products), then c0 = hi(p1) ^ c1 ^ k0,
// c2 = hi(p0) ^ c3 ^ k1; the new c1 is lo(p1), left in p1, and the new c3
// lo(p0), left in p0 (the upper halves of the lanes are ignored). M0 is in
// Z22, M1 in Z23, the round keys in Z26 and Z27.
#define HALF(c0, c1, c2, c3, p0, p1) \
	VPMULUDQ   Z22, c0, p0 \
	VPMULUDQ   Z23, c2, p1 \
	VPSRLQ     $32, p1, c0 \
	VPTERNLOGQ $0x96, Z26, c1, c0 \
	VPSRLQ     $32, p0, c2 \
	VPTERNLOGQ $0x96, Z27, c3, c2

// Two rounds on two sets of eight lanes: set A in Z0-Z3, set B in Z4-Z7,
// the keys of the first round at off(DX), of the second at off+8(DX). The
// words that leave the round in a product register come back home in the
// second round.
#define TWO(off) \
	VPBROADCASTD off(DX), Z26 \
	VPBROADCASTD off+4(DX), Z27 \
	HALF(Z0, Z1, Z2, Z3, Z8, Z9) \
	HALF(Z4, Z5, Z6, Z7, Z10, Z11) \
	VPBROADCASTD off+8(DX), Z26 \
	VPBROADCASTD off+12(DX), Z27 \
	HALF(Z0, Z9, Z2, Z8, Z3, Z1) \
	HALF(Z4, Z11, Z6, Z10, Z7, Z5)

// func blocksAVX512(ids *uint32, n int, c2, c3 uint32, keys *[20]uint32, w0, w1, w2, w3 *uint32)
TEXT ·blocksAVX512(SB), NOSPLIT, $0-64
	MOVQ ids+0(FP), SI
	MOVQ n+8(FP), CX
	MOVL c2+16(FP), AX
	MOVL c3+20(FP), BX
	MOVQ keys+24(FP), DX
	MOVQ w0+32(FP), R8
	MOVQ w1+40(FP), R9
	MOVQ w2+48(FP), R10
	MOVQ w3+56(FP), R11
	VPBROADCASTD AX, Z20
	VPBROADCASTD BX, Z21
	MOVL $0xD2511F53, AX
	VPBROADCASTD AX, Z22
	MOVL $0xCD9E8D57, AX
	VPBROADCASTD AX, Z23

loop:
	VPMOVZXDQ (SI), Z0
	VPMOVZXDQ 32(SI), Z4
	VPXORQ    Z1, Z1, Z1
	VPXORQ    Z5, Z5, Z5
	VMOVDQA64 Z20, Z2
	VMOVDQA64 Z20, Z6
	VMOVDQA64 Z21, Z3
	VMOVDQA64 Z21, Z7
	TWO(0)
	TWO(16)
	TWO(32)
	TWO(48)
	TWO(64)
	VPMOVQD Z0, (R8)
	VPMOVQD Z4, 32(R8)
	VPMOVQD Z1, (R9)
	VPMOVQD Z5, 32(R9)
	VPMOVQD Z2, (R10)
	VPMOVQD Z6, 32(R10)
	VPMOVQD Z3, (R11)
	VPMOVQD Z7, 32(R11)
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
	JNZ  loop
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
