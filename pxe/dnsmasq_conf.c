/* Writes the dnsmasq configuration for lifeboat-pxe (boot-media study §8.2
 * own DHCP, §8.3 proxyDHCP beside an existing DHCP server). */
#include "dnsmasq.h"

void dnsmasq_conf(struct lb_strbuf *out, const struct dnsmasq_setup *s)
{
	lb_strbuf_printf(out,
			 "# Written by lifeboat-pxe for this run; removed when it stops.\n"
			 "port=0\n"
			 "interface=%s\n"
			 "bind-interfaces\n"
			 "dhcp-leasefile=%s\n"
			 "enable-tftp\n"
			 "tftp-root=%s\n",
			 s->nif->name, s->lease_file, s->tftp_root);
	if (s->range_first) {
		lb_strbuf_printf(out,
				 "dhcp-range=%s,%s,%s,1h\n"
				 "dhcp-authoritative\n"
				 "dhcp-match=set:efi64,option:client-arch,7\n"
				 "dhcp-match=set:efi64,option:client-arch,9\n"
				 "dhcp-boot=tag:!efi64,pxelinux.0\n"
				 "dhcp-boot=tag:efi64,bootx64.efi\n",
				 s->range_first, s->range_last, s->nif->mask_text);
	} else {
		lb_strbuf_printf(out,
				 "dhcp-range=%s,proxy,%s\n"
				 "pxe-prompt=\"Lifeboat network boot\",0\n"
				 "pxe-service=x86PC,\"Lifeboat (BIOS)\",pxelinux\n"
				 "pxe-service=x86-64_EFI,\"Lifeboat (UEFI)\",bootx64.efi\n"
				 "pxe-service=BC_EFI,\"Lifeboat (UEFI)\",bootx64.efi\n",
				 s->nif->net_text, s->nif->mask_text);
	}
}
