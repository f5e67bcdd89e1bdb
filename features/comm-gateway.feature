description = Gateway communication device: reach a Host through a Tandem Gateway (SRP logon, device group, route)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.comm.gateway
