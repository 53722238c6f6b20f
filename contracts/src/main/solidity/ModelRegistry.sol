// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DatanetRegistry} from "./DatanetRegistry.sol";

/// @title Published LoRA adapters: what they are (content hash), what they extend, which Datanets trained them.
contract ModelRegistry {
    struct Adapter {
        address owner;
        bytes32 contentHash;
        string baseModel;
        uint256[] datanetIds;
        uint64 publishedAt;
    }

    DatanetRegistry public immutable datanets;
    uint256 public adapterCount;
    mapping(uint256 => Adapter) private adapters;
    mapping(bytes32 => uint256) public adapterByHash;

    event AdapterPublished(
        uint256 indexed adapterId,
        address indexed owner,
        bytes32 indexed contentHash,
        string baseModel,
        uint256[] datanetIds
    );

    error EmptyContentHash();
    error EmptyBaseModel();
    error AlreadyPublished(bytes32 contentHash, uint256 adapterId);
    error UnknownDatanet(uint256 datanetId);
    error UnknownAdapter(uint256 adapterId);

    constructor(DatanetRegistry datanets_) {
        datanets = datanets_;
    }

    function publishAdapter(bytes32 contentHash, string calldata baseModel, uint256[] calldata datanetIds)
        external
        returns (uint256 adapterId)
    {
        if (contentHash == bytes32(0)) revert EmptyContentHash();
        if (bytes(baseModel).length == 0) revert EmptyBaseModel();
        uint256 existing = adapterByHash[contentHash];
        if (existing != 0) revert AlreadyPublished(contentHash, existing);
        for (uint256 i = 0; i < datanetIds.length; i++) {
            if (!datanets.exists(datanetIds[i])) revert UnknownDatanet(datanetIds[i]);
        }
        adapterId = ++adapterCount;
        adapters[adapterId] = Adapter(msg.sender, contentHash, baseModel, datanetIds, uint64(block.timestamp));
        adapterByHash[contentHash] = adapterId;
        emit AdapterPublished(adapterId, msg.sender, contentHash, baseModel, datanetIds);
    }

    function getAdapter(uint256 adapterId) external view returns (Adapter memory) {
        Adapter storage a = adapters[adapterId];
        if (a.owner == address(0)) revert UnknownAdapter(adapterId);
        return a;
    }
}
