//! Networks: create, list, inspect, connect, disconnect, remove, prune.

use std::collections::HashMap;

use bollard::models::{
    EndpointSettings, Ipam, IpamConfig, NetworkConnectRequest, NetworkCreateRequest, NetworkDisconnectRequest,
};
use bollard::query_parameters::{ListNetworksOptionsBuilder, PruneNetworksOptionsBuilder};

use super::{RealEngine, convert};
use crate::engine::{EngineError, NetworkConfig, NetworkInfo, PruneReport, Result};

impl RealEngine {
    /// Creates a network. Docker 23 and later refuse a second network with a name in use; 20.10 only does when
    /// the client asks (`CheckDuplicate`, which newer API versions dropped), so the name is checked here first.
    pub(super) fn create_network_impl(&self, config: &NetworkConfig) -> Result<String> {
        let filters = HashMap::from([("name".to_string(), vec![config.name.clone()])]);
        let options = ListNetworksOptionsBuilder::default().filters(&filters).build();
        let same_name = self.quick("list networks", async {
            self.docker.list_networks(Some(options)).await.map_err(|e| self.error(e))
        })?;
        // The filter matches parts of names; only an exact match is a conflict.
        if same_name.iter().any(|n| n.name.as_deref() == Some(config.name.as_str())) {
            return Err(EngineError::Conflict(format!("network with name {} already exists", config.name)));
        }
        let request = NetworkCreateRequest {
            name: config.name.clone(),
            driver: Some(config.driver.clone().unwrap_or_else(|| "bridge".to_string())),
            internal: Some(config.internal),
            labels: Some(self.labels(&config.labels)),
            options: (!config.options.is_empty())
                .then(|| config.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            ipam: config.subnet.as_ref().map(|subnet| Ipam {
                config: Some(vec![IpamConfig { subnet: Some(subnet.clone()), ..Default::default() }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = self
            .quick("create network", async { self.docker.create_network(request).await.map_err(|e| self.error(e)) })?;
        Ok(created.id)
    }

    pub(super) fn list_networks_impl(&self) -> Result<Vec<NetworkInfo>> {
        let list =
            self.quick("list networks", async { self.docker.list_networks(None).await.map_err(|e| self.error(e)) })?;
        Ok(list.into_iter().map(convert::network_summary).collect())
    }

    pub(super) fn inspect_network_impl(&self, name: &str) -> Result<NetworkInfo> {
        let n = self.quick("inspect network", async {
            self.docker.inspect_network(name, None).await.map_err(|e| self.error(e))
        })?;
        Ok(convert::network_details(n))
    }

    pub(super) fn connect_network_impl(&self, network: &str, container: &str, aliases: &[String]) -> Result<()> {
        let request = NetworkConnectRequest {
            container: container.to_string(),
            endpoint_config: Some(EndpointSettings {
                aliases: (!aliases.is_empty()).then(|| aliases.to_vec()),
                ..Default::default()
            }),
        };
        self.quick("connect network", async {
            self.docker.connect_network(network, request).await.map_err(|e| self.error(e))
        })
    }

    pub(super) fn disconnect_network_impl(&self, network: &str, container: &str, force: bool) -> Result<()> {
        let request = NetworkDisconnectRequest { container: container.to_string(), force: Some(force) };
        self.quick("disconnect network", async {
            self.docker.disconnect_network(network, request).await.map_err(|e| self.error(e))
        })
    }

    pub(super) fn remove_network_impl(&self, name: &str) -> Result<()> {
        self.quick("remove network", async { self.docker.remove_network(name).await.map_err(|e| self.error(e)) })
    }

    pub(super) fn prune_networks_impl(&self) -> Result<PruneReport> {
        let options = PruneNetworksOptionsBuilder::default().filters(&self.prune_filters()).build();
        let answer = self.quick("prune networks", async {
            self.docker.prune_networks(Some(options)).await.map_err(|e| self.error(e))
        })?;
        Ok(PruneReport { deleted: answer.networks_deleted.unwrap_or_default(), space_reclaimed: 0 })
    }
}
