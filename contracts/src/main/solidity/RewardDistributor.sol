// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title Attribution rewards, paid by Merkle proof.
/// @notice Each epoch the node operator posts the root of a tree of (account, cumulative amount earned so far).
/// Because amounts are cumulative, one claim against the newest root pays everything owed, and paying only the
/// difference to what was already claimed makes a second claim pay nothing. Leaves follow OpenZeppelin's
/// StandardMerkleTree: keccak256(bytes.concat(keccak256(abi.encode(account, cumulative)))), pairs hashed sorted.
contract RewardDistributor is AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    IERC20 public immutable token;
    uint256 public currentEpoch;
    bytes32 public merkleRoot;
    mapping(address => uint256) public claimed;

    event RootPosted(uint256 indexed epoch, bytes32 root);
    event Claimed(address indexed account, uint256 amount, uint256 cumulative, uint256 epoch);

    error EpochNotIncreasing(uint256 current, uint256 given);
    error InvalidProof();
    error NothingToClaim(uint256 cumulative, uint256 alreadyClaimed);

    constructor(IERC20 token_, address admin, address operator) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, operator);
    }

    function postRoot(uint256 epoch, bytes32 root) external onlyRole(OPERATOR_ROLE) {
        if (epoch <= currentEpoch) revert EpochNotIncreasing(currentEpoch, epoch);
        currentEpoch = epoch;
        merkleRoot = root;
        emit RootPosted(epoch, root);
    }

    function claim(address account, uint256 cumulative, bytes32[] calldata proof) external returns (uint256 amount) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidProof();
        uint256 already = claimed[account];
        if (cumulative <= already) revert NothingToClaim(cumulative, already);
        amount = cumulative - already;
        claimed[account] = cumulative;
        token.safeTransfer(account, amount);
        emit Claimed(account, amount, cumulative, currentEpoch);
    }
}
