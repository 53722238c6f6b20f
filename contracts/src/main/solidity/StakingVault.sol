// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Stakes of OPEN behind Datanets, models/adapters, nodes and single contributions.
/// @notice Unstaking is two steps: requestUnstake moves tokens to "unbonding", withdraw pays them out after the
/// cooldown. Unbonding tokens can still be slashed, so a staker cannot escape a pending challenge by unstaking.
contract StakingVault is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// Registries that settle challenges; they may slash with an on-chain reason.
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// Registries that stake on a user's behalf in the same transaction (e.g. a contribution's stake).
    bytes32 public constant STAKE_AGENT_ROLE = keccak256("STAKE_AGENT_ROLE");

    enum TargetKind {
        Datanet,
        Model,
        Node,
        Contribution
    }

    struct Position {
        uint256 active;
        uint256 unbonding;
        uint64 unlockAt;
    }

    IERC20 public immutable token;
    uint64 public immutable cooldown;

    mapping(bytes32 => mapping(address => Position)) private positions;
    mapping(bytes32 => uint256) public totalActive;

    event Staked(address indexed staker, TargetKind indexed kind, bytes32 indexed target, uint256 amount);
    event UnstakeRequested(
        address indexed staker, TargetKind indexed kind, bytes32 indexed target, uint256 amount, uint64 unlockAt
    );
    event Withdrawn(address indexed staker, TargetKind indexed kind, bytes32 indexed target, uint256 amount);
    event Slashed(
        address indexed staker,
        TargetKind indexed kind,
        bytes32 indexed target,
        uint256 amount,
        address recipient,
        address slasher,
        string reason
    );

    error ZeroAmount();
    error InsufficientStake(uint256 available, uint256 requested);
    error CooldownNotOver(uint64 unlockAt);
    error NothingToWithdraw();
    error EmptyReason();

    constructor(IERC20 token_, uint64 cooldown_, address admin) {
        token = token_;
        cooldown = cooldown_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function key(TargetKind kind, bytes32 target) public pure returns (bytes32) {
        return keccak256(abi.encode(kind, target));
    }

    function stake(TargetKind kind, bytes32 target, uint256 amount) external nonReentrant {
        _stake(msg.sender, kind, target, amount);
    }

    /// @notice Stakes `staker`'s tokens (they approved this vault); only registries with the agent role call this,
    /// always with their own caller as `staker`.
    function stakeFor(address staker, TargetKind kind, bytes32 target, uint256 amount)
        external
        nonReentrant
        onlyRole(STAKE_AGENT_ROLE)
    {
        _stake(staker, kind, target, amount);
    }

    function _stake(address staker, TargetKind kind, bytes32 target, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        bytes32 k = key(kind, target);
        positions[k][staker].active += amount;
        totalActive[k] += amount;
        token.safeTransferFrom(staker, address(this), amount);
        emit Staked(staker, kind, target, amount);
    }

    /// @notice Starts the cooldown for `amount`; a new request restarts the cooldown of everything unbonding.
    function requestUnstake(TargetKind kind, bytes32 target, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        bytes32 k = key(kind, target);
        Position storage p = positions[k][msg.sender];
        if (p.active < amount) revert InsufficientStake(p.active, amount);
        p.active -= amount;
        p.unbonding += amount;
        p.unlockAt = uint64(block.timestamp) + cooldown;
        totalActive[k] -= amount;
        emit UnstakeRequested(msg.sender, kind, target, amount, p.unlockAt);
    }

    function withdraw(TargetKind kind, bytes32 target) external nonReentrant {
        Position storage p = positions[key(kind, target)][msg.sender];
        uint256 amount = p.unbonding;
        if (amount == 0) revert NothingToWithdraw();
        if (block.timestamp < p.unlockAt) revert CooldownNotOver(p.unlockAt);
        p.unbonding = 0;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, kind, target, amount);
    }

    /// @notice Takes up to `amount` of the position (active first, then unbonding) and pays it to `recipient`.
    /// @return slashed what was actually taken
    function slash(
        address staker,
        TargetKind kind,
        bytes32 target,
        uint256 amount,
        address recipient,
        string calldata reason
    ) external nonReentrant onlyRole(SLASHER_ROLE) returns (uint256 slashed) {
        if (bytes(reason).length == 0) revert EmptyReason();
        bytes32 k = key(kind, target);
        Position storage p = positions[k][staker];
        uint256 fromActive = amount < p.active ? amount : p.active;
        p.active -= fromActive;
        totalActive[k] -= fromActive;
        uint256 rest = amount - fromActive;
        uint256 fromUnbonding = rest < p.unbonding ? rest : p.unbonding;
        p.unbonding -= fromUnbonding;
        slashed = fromActive + fromUnbonding;
        if (slashed > 0) {
            token.safeTransfer(recipient, slashed);
        }
        emit Slashed(staker, kind, target, slashed, recipient, msg.sender, reason);
    }

    function stakeOf(address staker, TargetKind kind, bytes32 target)
        external
        view
        returns (uint256 active, uint256 unbonding, uint64 unlockAt)
    {
        Position storage p = positions[key(kind, target)][staker];
        return (p.active, p.unbonding, p.unlockAt);
    }
}
