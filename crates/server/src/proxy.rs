//! The client's address when acctd sits behind proxies it trusts
//! (`--trusted-proxies`). Without that setting the TCP peer is the client
//! and forwarding headers are ignored: anyone can write them.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address block, `10.0.0.0/8` or `2001:db8::/32`; a bare address is
/// a block of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an address block; write e.g. 10.0.0.0/8, 192.168.1.5 or fd00::/8")]
pub struct CidrError(String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Self, CidrError> {
        let bad = || CidrError(text.to_string());
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text.trim(), None),
        };
        let network: IpAddr = addr.parse().map_err(|_| bad())?;
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(bad)?,
            None => width,
        };
        Ok(Self { network, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                same_prefix(u32::from(net).into(), u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                same_prefix(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, prefix: u8, width: u32) -> bool {
    let host_bits = width - u32::from(prefix);
    host_bits >= width || (a >> host_bits) == (b >> host_bits)
}

/// The proxies whose forwarding headers count; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl FromStr for TrustedProxies {
    type Err = CidrError;

    /// `CIDR,CIDR,...`; an empty string trusts no one.
    fn from_str(list: &str) -> Result<Self, CidrError> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl std::fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.0.iter().map(Cidr::to_string).collect();
        f.write_str(&list.join(","))
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(ip))
    }

    /// The client: from the TCP peer, walk the forwarding hops right to
    /// left while each one is a trusted proxy; the first untrusted hop is
    /// the client. A hop that is not an address ends the walk at the
    /// last proxy, which is then all that can be said.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        for hop in forwarded_hops(headers).iter().rev() {
            match hop_address(hop) {
                Some(ip) => client = ip,
                None => return client,
            }
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// The `for=` hops of `Forwarded` (RFC 7239) if the request has that
/// header, else the entries of `X-Forwarded-For`, leftmost first.
fn forwarded_hops(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|item| item.trim().to_string())
            .collect()
    };
    let forwarded = values("forwarded");
    if forwarded.is_empty() {
        return values("x-forwarded-for");
    }
    forwarded
        .iter()
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                .map_or_else(String::new, |(_, value)| value.trim().to_string())
        })
        .collect()
}

/// `192.0.2.1`, `"192.0.2.1:8080"`, `"[2001:db8::1]:4711"` or `2001:db8::1`.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    let host = match hop.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.0,
        None => hop.rsplit_once(':')?.0,
    };
    host.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn blocks_parse_and_contain() {
        let lan: Cidr = "10.0.0.0/8".parse().expect("parses");
        assert!(lan.contains(ip("10.200.1.1")));
        assert!(!lan.contains(ip("11.0.0.1")));
        assert!(lan.contains(ip("::ffff:10.0.0.1")));
        let one: Cidr = "::1".parse().expect("parses");
        assert!(one.contains(ip("::1")) && !one.contains(ip("::2")));
        let all: Cidr = "0.0.0.0/0".parse().expect("parses");
        assert!(all.contains(ip("203.0.113.9")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0.0/x", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
        let list: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().expect("parses");
        assert_eq!(list.to_string(), "127.0.0.1/32,10.0.0.0/8");
    }

    #[test]
    fn without_trusted_proxies_the_headers_do_not_count() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(none.client_ip(ip("127.0.0.1"), &spoofed), ip("127.0.0.1"));
    }

    #[test]
    fn hops_are_read_right_to_left_up_to_the_first_untrusted() {
        let trusted: TrustedProxies = "127.0.0.1,10.0.0.0/8".parse().expect("parses");
        // The client wrote a fake first entry; the proxies appended the truth.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.1.1")]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &chain),
            ip("198.51.100.7")
        );
        // An untrusted peer's headers are its own invention.
        assert_eq!(
            trusted.client_ip(ip("203.0.113.5"), &chain),
            ip("203.0.113.5")
        );
        let split = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        assert_eq!(
            trusted.client_ip(ip("10.0.0.3"), &split),
            ip("198.51.100.7")
        );
        let garbage = headers(&[("x-forwarded-for", "nonsense")]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &garbage),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for() {
        let trusted: TrustedProxies = "127.0.0.1".parse().expect("parses");
        let both = headers(&[
            ("forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &both),
            ip("2001:db8:cafe::17")
        );
        let v4 = headers(&[("forwarded", "for=192.0.2.60:8080;by=127.0.0.1")]);
        assert_eq!(trusted.client_ip(ip("127.0.0.1"), &v4), ip("192.0.2.60"));
    }
}
