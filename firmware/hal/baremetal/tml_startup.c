/*
 * tml_startup.c — reset and exception entry for the QEMU mps2 boards.
 *
 * QEMU loads SP and PC from address 0 at reset (not from the ELF entry), so
 * the linker script places .isr_vector there. Reset_Handler prepares the C
 * environment (the image is linked -nostartfiles: there is no crt0) and runs
 * main. Faults are reported on UART0 with the stacked PC and end QEMU with a
 * distinct exit code, so a crash surfaces as a failure, never as a hang.
 */
#include <stdint.h>

#include "tml_baremetal.h"
#include "tml_cmsdk.h"
#include "tml_hal.h"

/* Symbols from templates/baremetal/link.ld.hbs. */
extern uint32_t __StackTop;
extern uint32_t __data_load__;
extern uint32_t __data_start__;
extern uint32_t __data_end__;
extern uint32_t __bss_start__;
extern uint32_t __bss_end__;

extern int main(void);
extern void __libc_init_array(void);

/* __libc_init_array calls these; crti/crtn are not linked (-nostartfiles). */
void _init(void);
void _fini(void);
void _init(void) {}
void _fini(void) {}

void Reset_Handler(void);
void Default_Handler(void);
void tml_fault_entry(void);
void tml_fault_report(const uint32_t *frame);

/* Every handler the HAL does not define falls through to Default_Handler. */
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART0RX_IRQHandler(void) __attribute__((weak, alias("Default_Handler")));

/* mps2-an385/an386/an500 wire 32 external interrupts into the NVIC. */
#define TML_EXTERNAL_IRQS 32

/*
 * A struct rather than an array of function pointers: the first word is the
 * initial stack pointer, a data address, and ISO C has no conversion between
 * object and function pointers.
 */
typedef void (*tml_handler)(void);
typedef struct {
  uint32_t *initial_sp;
  tml_handler system[15];
  tml_handler external[TML_EXTERNAL_IRQS];
} tml_vector_table;

__attribute__((section(".isr_vector"), used)) const tml_vector_table tml_vectors = {
    &__StackTop,
    {
        Reset_Handler,
        NMI_Handler,
        tml_fault_entry, /* HardFault */
        tml_fault_entry, /* MemManage */
        tml_fault_entry, /* BusFault */
        tml_fault_entry, /* UsageFault */
        0, 0, 0, 0,
        SVC_Handler,
        DebugMon_Handler,
        0,
        PendSV_Handler,
        SysTick_Handler,
    },
    {
        UART0RX_IRQHandler, /* IRQ 0: UART0 RX */
        Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
        Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
        Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
        Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
        Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
        Default_Handler,
    },
};

void Reset_Handler(void) {
  const uint32_t *src = &__data_load__;
  uint32_t *dst;

  /* FPU first: with -mfloat-abi=hard any later code (memcpy included) may
   * touch the FP registers, which UsageFaults while CP10/CP11 are off. */
  TML_SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");

  for (dst = &__data_start__; dst < &__data_end__;) *dst++ = *src++;
  for (dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;

  __libc_init_array();
  tml_hal_exit(main());
}

/*
 * The shared entry of all four fault handlers: hand the stacked exception
 * frame (on MSP or PSP, as EXC_RETURN bit 2 says) to the C reporter. Naked,
 * because any prologue would move the stack pointer being inspected.
 */
__attribute__((naked)) void tml_fault_entry(void) {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "b tml_fault_report\n\t");
}

__attribute__((used, noreturn)) void tml_fault_report(const uint32_t *frame) {
  static const char *const names[] = {"?", "?", "?", "HardFault", "MemManage", "BusFault", "UsageFault"};
  uint32_t exc = tml_active_exception();
  tml_uart_ensure_enabled();
  tml_uart_puts("\r\n*** tinyml: ");
  tml_uart_puts(exc < 7 ? names[exc] : "fault");
  tml_uart_puts(" at pc=");
  tml_uart_put_hex(frame[6]);
  tml_uart_puts(" lr=");
  tml_uart_put_hex(frame[5]);
  tml_uart_puts(" cfsr=");
  tml_uart_put_hex(TML_SCB_CFSR);
  tml_uart_puts(" hfsr=");
  tml_uart_put_hex(TML_SCB_HFSR);
  tml_uart_puts("\r\n");
  tml_uart_drain_busy();
  tml_semihost_exit(TML_EXIT_FAULT);
  for (;;) __asm__ volatile("wfi");
}

void Default_Handler(void) {
  tml_uart_ensure_enabled();
  tml_uart_puts("\r\n*** tinyml: unexpected exception ");
  tml_uart_put_hex(tml_active_exception());
  tml_uart_puts("\r\n");
  tml_uart_drain_busy();
  tml_semihost_exit(TML_EXIT_UNEXPECTED_IRQ);
  for (;;) __asm__ volatile("wfi");
}
