// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {StakingVault} from "./StakingVault.sol";

/// @title Datanets and their contributions.
/// @notice A contribution is a signed manifest (its Merkle root and row count) optionally backed by stake. Anyone may
/// challenge it as redundant with an earlier contribution of the same Datanet, pointing at off-chain evidence (the
/// hash of the overlapping rows' report); the Datanet's owner or governance resolves, and an upheld challenge
/// slashes the contribution's stake to the challenger.
contract DatanetRegistry is AccessControl {
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    string public constant REDUNDANT = "redundant contribution";

    enum ContributionStatus {
        Active,
        Rejected
    }

    enum ChallengeStatus {
        None,
        Open,
        Upheld,
        Dismissed
    }

    struct Datanet {
        address owner;
        bytes32 metadataHash;
        uint64 createdAt;
        uint64 contributionCount;
    }

    struct Contribution {
        uint256 datanetId;
        address contributor;
        bytes32 manifestRoot;
        uint64 rowCount;
        uint256 stake;
        ContributionStatus status;
    }

    struct Challenge {
        uint256 contributionId;
        uint256 originalContributionId;
        address challenger;
        bytes32 evidenceHash;
        ChallengeStatus status;
    }

    StakingVault public immutable vault;
    uint256 public datanetCount;
    uint256 public contributionCount;
    uint256 public challengeCount;

    mapping(uint256 => Datanet) private datanets;
    mapping(uint256 => Contribution) private contributions;
    mapping(uint256 => Challenge) private challenges;
    mapping(uint256 => mapping(bytes32 => uint256)) public contributionByRoot;

    event DatanetCreated(uint256 indexed datanetId, address indexed owner, bytes32 metadataHash);
    event Contributed(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 manifestRoot,
        uint64 rowCount,
        uint256 stake
    );
    event Challenged(
        uint256 indexed challengeId,
        uint256 indexed contributionId,
        address indexed challenger,
        uint256 originalContributionId,
        bytes32 evidenceHash
    );
    event ChallengeResolved(
        uint256 indexed challengeId, uint256 indexed contributionId, bool upheld, address resolver, uint256 slashed
    );

    error UnknownDatanet(uint256 datanetId);
    error UnknownContribution(uint256 contributionId);
    error UnknownChallenge(uint256 challengeId);
    error EmptyManifest();
    error DuplicateManifest(uint256 datanetId, uint256 existingContributionId);
    error InvalidEvidence(string why);
    error NotOwnerOrGovernance(address caller);
    error ChallengeClosed(uint256 challengeId);

    constructor(StakingVault vault_, address admin) {
        vault = vault_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNANCE_ROLE, admin);
    }

    function createDatanet(bytes32 metadataHash) external returns (uint256 datanetId) {
        datanetId = ++datanetCount;
        datanets[datanetId] = Datanet(msg.sender, metadataHash, uint64(block.timestamp), 0);
        emit DatanetCreated(datanetId, msg.sender, metadataHash);
    }

    /// @notice Registers a contribution; with `stake` > 0 the contributor must have approved the vault for it.
    function contribute(uint256 datanetId, bytes32 manifestRoot, uint64 rowCount, uint256 stake)
        external
        returns (uint256 contributionId)
    {
        Datanet storage d = _datanet(datanetId);
        if (manifestRoot == bytes32(0) || rowCount == 0) revert EmptyManifest();
        uint256 existing = contributionByRoot[datanetId][manifestRoot];
        if (existing != 0) revert DuplicateManifest(datanetId, existing);
        contributionId = ++contributionCount;
        contributions[contributionId] =
            Contribution(datanetId, msg.sender, manifestRoot, rowCount, stake, ContributionStatus.Active);
        contributionByRoot[datanetId][manifestRoot] = contributionId;
        d.contributionCount += 1;
        if (stake > 0) {
            vault.stakeFor(msg.sender, StakingVault.TargetKind.Contribution, bytes32(contributionId), stake);
        }
        emit Contributed(contributionId, datanetId, msg.sender, manifestRoot, rowCount, stake);
    }

    /// @notice Claims that `contributionId` repeats the earlier `originalContributionId` of the same Datanet.
    function challenge(uint256 contributionId, uint256 originalContributionId, bytes32 evidenceHash)
        external
        returns (uint256 challengeId)
    {
        Contribution storage c = _contribution(contributionId);
        Contribution storage o = _contribution(originalContributionId);
        if (originalContributionId >= contributionId) revert InvalidEvidence("the original must be earlier");
        if (o.datanetId != c.datanetId) revert InvalidEvidence("the original is in another Datanet");
        if (evidenceHash == bytes32(0)) revert InvalidEvidence("no evidence");
        if (c.status != ContributionStatus.Active) revert InvalidEvidence("the contribution is already rejected");
        challengeId = ++challengeCount;
        challenges[challengeId] =
            Challenge(contributionId, originalContributionId, msg.sender, evidenceHash, ChallengeStatus.Open);
        emit Challenged(challengeId, contributionId, msg.sender, originalContributionId, evidenceHash);
    }

    /// @notice The Datanet's owner or governance decides; upheld = the contribution is rejected and its stake goes to
    /// the challenger.
    function resolve(uint256 challengeId, bool upheld) external returns (uint256 slashed) {
        Challenge storage ch = challenges[challengeId];
        if (ch.status == ChallengeStatus.None) revert UnknownChallenge(challengeId);
        if (ch.status != ChallengeStatus.Open) revert ChallengeClosed(challengeId);
        Contribution storage c = contributions[ch.contributionId];
        if (msg.sender != datanets[c.datanetId].owner && !hasRole(GOVERNANCE_ROLE, msg.sender)) {
            revert NotOwnerOrGovernance(msg.sender);
        }
        if (upheld) {
            ch.status = ChallengeStatus.Upheld;
            if (c.status == ContributionStatus.Active) {
                c.status = ContributionStatus.Rejected;
                if (c.stake > 0) {
                    slashed = vault.slash(
                        c.contributor,
                        StakingVault.TargetKind.Contribution,
                        bytes32(ch.contributionId),
                        c.stake,
                        ch.challenger,
                        REDUNDANT
                    );
                }
            }
        } else {
            ch.status = ChallengeStatus.Dismissed;
        }
        emit ChallengeResolved(challengeId, ch.contributionId, upheld, msg.sender, slashed);
    }

    function exists(uint256 datanetId) public view returns (bool) {
        return datanets[datanetId].owner != address(0);
    }

    function getDatanet(uint256 datanetId) external view returns (Datanet memory) {
        return _datanet(datanetId);
    }

    function getContribution(uint256 contributionId) external view returns (Contribution memory) {
        return _contribution(contributionId);
    }

    function getChallenge(uint256 challengeId) external view returns (Challenge memory) {
        Challenge storage ch = challenges[challengeId];
        if (ch.status == ChallengeStatus.None) revert UnknownChallenge(challengeId);
        return ch;
    }

    function _datanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _contribution(uint256 contributionId) private view returns (Contribution storage c) {
        c = contributions[contributionId];
        if (c.contributor == address(0)) revert UnknownContribution(contributionId);
    }
}
