//! acctd: the reference account service.
