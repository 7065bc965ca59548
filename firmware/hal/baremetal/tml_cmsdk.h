/*
 * tml_cmsdk.h — the registers the bare-metal HAL touches on QEMU's mps2
 * machines (an385/an386/an500): the CMSDK APB UART0 and dual timer, and the
 * few ARMv7-M system registers (SCB, SysTick, NVIC). Addresses and bits are
 * from the CMSDK TRM (ARM DDI0479) and QEMU's hw/char/cmsdk-apb-uart.c,
 * hw/timer/cmsdk-apb-dualtimer.c and hw/arm/mps2.c.
 */
#ifndef TML_CMSDK_H
#define TML_CMSDK_H

#include <stdint.h>

#define TML_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* UART0: RX interrupt on IRQ 0, TX on IRQ 1 (mps2.c). */
#define TML_UART0_BASE 0x40004000u
#define TML_UART_DATA TML_REG(TML_UART0_BASE + 0x00u)
#define TML_UART_STATE TML_REG(TML_UART0_BASE + 0x04u)
#define TML_UART_CTRL TML_REG(TML_UART0_BASE + 0x08u)
#define TML_UART_INTSTATUS TML_REG(TML_UART0_BASE + 0x0Cu)
#define TML_UART_BAUDDIV TML_REG(TML_UART0_BASE + 0x10u)
#define TML_UART_STATE_TXFULL 0x1u
#define TML_UART_STATE_RXFULL 0x2u
#define TML_UART_STATE_RXOVERRUN 0x8u
#define TML_UART_CTRL_TXEN 0x1u
#define TML_UART_CTRL_RXEN 0x2u
#define TML_UART_CTRL_RXIRQ 0x8u
#define TML_UART_INT_RX 0x2u
#define TML_UART0_RX_IRQN 0u

/* Dual timer, timer 1: 32-bit, counts down from LOAD, 25 MHz on mps2. */
#define TML_DUALTIMER_BASE 0x40002000u
#define TML_TIMER1_LOAD TML_REG(TML_DUALTIMER_BASE + 0x00u)
#define TML_TIMER1_VALUE TML_REG(TML_DUALTIMER_BASE + 0x04u)
#define TML_TIMER1_CTRL TML_REG(TML_DUALTIMER_BASE + 0x08u)
/* ENABLE | SIZE32, free-running (MODE=0), no prescale, interrupt disabled. */
#define TML_TIMER_CTRL_FREERUN32 0x82u

/* SysTick: only a wake-up source while waiting (see tml_hal_baremetal.c). */
#define TML_SYST_CSR TML_REG(0xE000E010u)
#define TML_SYST_RVR TML_REG(0xE000E014u)
#define TML_SYST_CVR TML_REG(0xE000E018u)
/* ENABLE | TICKINT | CLKSOURCE (processor clock). */
#define TML_SYST_CSR_RUN 0x7u

#define TML_NVIC_ISER0 TML_REG(0xE000E100u)
#define TML_NVIC_ICPR0 TML_REG(0xE000E280u)

#define TML_SCB_CPACR TML_REG(0xE000ED88u)
#define TML_SCB_AIRCR TML_REG(0xE000ED0Cu)
#define TML_SCB_CFSR TML_REG(0xE000ED28u)
#define TML_SCB_HFSR TML_REG(0xE000ED2Cu)
#define TML_AIRCR_SYSRESETREQ 0x05FA0004u /* VECTKEY | SYSRESETREQ */

#endif /* TML_CMSDK_H */
